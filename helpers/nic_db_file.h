// /run/uxc/nics on disk. uxc-user-nic runs as the caller; for these files
// alone it takes root's filesystem ids (setfsuid(2)), so that they are
// root's, mode 0600, in a directory only root writes. Every update holds an
// exclusive lock on /run/uxc/nics.lock and replaces the database whole by
// rename(2): a helper killed at any point leaves the old file or the new,
// never half of one.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "config/nic_db.h"
#include "helpers/setuid_start.h"

namespace uxc::helpers {

inline constexpr char kNicDbDir[] = "/run/uxc";

class NicDbFile {
 public:
  // Makes /run/uxc when missing, refuses it when anyone but root may write
  // it, and waits for the lock.
  static Result<NicDbFile> OpenLocked(const Caller& caller);

  Result<std::vector<config::NicRecord>> Read(const config::QuotableLines& quotable);
  Status Write(const std::vector<config::NicRecord>& records);

  // The test-only fault hook: when root has put a regular file of its own,
  // writable by no one else, at /run/uxc/fault-stop and it names `step`, the
  // helper stops itself (SIGSTOP) here, so that a test can kill it at that
  // exact step. It grants nothing: the helper runs as the caller, who may
  // stop or kill it at any moment anyway; the hook only makes the moment
  // exact. Steps: "pending", "created", "before-rename".
  void StopHereIfRootAsks(const char* step);

 private:
  NicDbFile(Caller caller, UniqueFd dir, UniqueFd lock)
      : caller_(caller), dir_(std::move(dir)), lock_(std::move(lock)) {}
  Caller caller_;
  UniqueFd dir_;
  UniqueFd lock_;
};

}  // namespace uxc::helpers

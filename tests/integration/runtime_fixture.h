// Shared setup for the start engine's tests: a real unprivileged user with a
// subordinate range, a busybox rootfs owned by that range (built from the
// host's busybox-static), a container path the user owns, and ways to run
// the installed uxc as the user and to see what a run left behind.
#pragma once

#include <sys/types.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/lib/host.h"

namespace uxc::testing {

inline constexpr uid_t kRuntimeSubidStart = 400000;
inline constexpr uid_t kRuntimeSubidCount = 65536;

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // The installed `uxc ARGS...` as the test user.
  CommandResult Uxc(const std::vector<std::string>& args, const RunOptions& options = {});
  // `uxc run --rootfs <rootfs> -s DEFINE... -- /bin/sh -c SCRIPT`.
  CommandResult RunScript(const std::string& script, const std::vector<std::string>& defines = {},
                          const std::string& rootfs = "");
  // Writes <path>/NAME/config (owned by the user): `config` plus
  // lxc.rootfs.path = the fixture's rootfs unless it sets its own.
  void WriteContainer(const std::string& name, const std::string& config);
  // `uxc execute -P <path> NAME -- ARGV...`.
  CommandResult Execute(const std::string& name, const std::vector<std::string>& argv);

  // A directory owned by the container's root (the first subordinate id),
  // to bind into a container and look at from the host.
  std::string SharedDirectory(const std::string& name);

  HostUser user_;
  std::string scratch_;  // removed after the test
  std::string rootfs_;   // busybox, owned by kRuntimeSubidStart
  std::string path_;     // container path, owned by the user

 private:
  std::unique_ptr<ScopedHostFile> subuid_;
  std::unique_ptr<ScopedHostFile> subgid_;
};

// Builds a busybox rootfs at `dir` owned by `owner` (uid and gid): the
// static busybox, one symlink per applet, /etc/passwd and group, and the
// usual empty directories.
void MakeBusyboxRootfs(const std::string& dir, uid_t owner);

// The mount points of the host's mount namespace (as root sees them).
std::set<std::string> HostMountPoints();
// The pids of processes whose real uid is `uid` or lies in the test's
// subordinate range.
std::set<pid_t> ProcessesOf(uid_t uid);
// Every path under `dir` (relative), for before/after comparisons.
std::set<std::string> TreeOf(const std::string& dir);
// Runs a shell command as root; fails the test on a non-zero exit.
std::string RootShell(const std::string& command);
// Whether `text` contains `part`, with the text in the failure message.
::testing::AssertionResult Contains(const std::string& text, const std::string& part);

}  // namespace uxc::testing

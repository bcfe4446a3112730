// The console log (lxc.console.logfile) with LXC's limit: once a write would
// take the file past lxc.console.size bytes, the file is rotated to FILE.1
// (lxc.console.rotate = 1) or truncated, and the write goes to the fresh
// file. A write larger than the limit keeps only its last `limit` bytes.
// Both the detached monitor and a foreground start write through this.
// The file may lie in the container's root, whose directories the container
// can swap for symlinks at any time: it is opened with its directory
// resolved inside the root (base/append_file.h), and rotated by that
// directory's fd, never by path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/rootfs_path.h"
#include "base/unique_fd.h"

namespace uxc::lifecycle {

class ConsoleLog {
 public:
  ConsoleLog() = default;
  // Takes `fd`, open for appending to `path`, and `parent`, its directory
  // and name there. `limit` 0: no limit.
  ConsoleLog(UniqueFd fd, ParentDir parent, std::string path, uint64_t limit, bool rotate);

  // Opens `path` for appending (created 0600, never through a symlink; a
  // directory inside `rootfs` resolved inside it).
  static Result<ConsoleLog> Open(std::string path, uint64_t limit, bool rotate, const std::string& rootfs = "");

  bool is_open() const { return static_cast<bool>(fd_); }
  int fd() const { return fd_.get(); }
  // The directory's fd (O_PATH), which the monitor takes over with the file.
  int dir_fd() const { return parent_.dir.get(); }

  // Appends `data`, rotating or truncating first when the limit requires.
  // A failing log does not stop the caller's copy: the error is returned
  // for whoever wants to report it.
  Status Write(std::string_view data);

 private:
  Status StartOver();

  UniqueFd fd_;
  ParentDir parent_;
  std::string path_;
  uint64_t limit_ = 0;
  bool rotate_ = false;
  uint64_t size_ = 0;
};

}  // namespace uxc::lifecycle

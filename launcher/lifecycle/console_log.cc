#include "launcher/lifecycle/console_log.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/append_file.h"
#include "base/write_all.h"

namespace uxc::lifecycle {

ConsoleLog::ConsoleLog(UniqueFd fd, ParentDir parent, std::string path, uint64_t limit, bool rotate)
    : fd_(std::move(fd)), parent_(std::move(parent)), path_(std::move(path)), limit_(limit), rotate_(rotate) {
  struct stat st;
  if (fd_ && fstat(fd_.get(), &st) == 0) size_ = st.st_size;
}

Result<ConsoleLog> ConsoleLog::Open(std::string path, uint64_t limit, bool rotate, const std::string& rootfs) {
  UXC_ASSIGN_OR_RETURN(auto opened, OpenAppendFile(path, rootfs, "lxc.console.logfile"));
  return ConsoleLog(std::move(opened.fd), std::move(opened.parent), std::move(path), limit, rotate);
}

Status ConsoleLog::Write(std::string_view data) {
  if (!fd_) return PlainError("the console log is not open");
  if (limit_ != 0 && size_ + data.size() > limit_) {
    UXC_RETURN_IF_ERROR(StartOver());
    if (data.size() > limit_) data.remove_prefix(data.size() - limit_);
  }
  Status written = WriteAll(fd_.get(), data, "write the console log");
  size_ += data.size();
  return written;
}

// Rotation renames the file and opens a new one in the directory opened at
// the start, by fd: a directory swapped for a symlink since then is not
// followed, and a symlink planted at the name is refused (O_NOFOLLOW).
Status ConsoleLog::StartOver() {
  size_ = 0;
  if (!rotate_) {
    if (ftruncate(fd_.get(), 0) != 0) return ErrnoError("truncate the console log " + path_);
    return OkStatus();
  }
  if (!parent_.dir) return PlainError("rotate the console log " + path_ + ": its directory is not open");
  const std::string& name = parent_.name;
  if (renameat(parent_.dir.get(), name.c_str(), parent_.dir.get(), (name + ".1").c_str()) != 0) {
    return ErrnoError("rotate the console log " + path_ + " to " + path_ + ".1");
  }
  auto fresh = OpenAppendAt(parent_.dir.get(), name, "the console log " + path_ + " after its rotation");
  if (!fresh.ok()) {
    fd_.Reset();
    return fresh.take_error();
  }
  fd_ = std::move(*fresh);
  return OkStatus();
}

}  // namespace uxc::lifecycle

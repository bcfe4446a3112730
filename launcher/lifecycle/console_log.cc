#include "launcher/lifecycle/console_log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "base/write_all.h"

namespace uxc::lifecycle {
namespace {

UniqueFd OpenForAppend(const std::string& path) {
  return UniqueFd(open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
}

}  // namespace

ConsoleLog::ConsoleLog(UniqueFd fd, std::string path, uint64_t limit, bool rotate)
    : fd_(std::move(fd)), path_(std::move(path)), limit_(limit), rotate_(rotate) {
  struct stat st;
  if (fd_ && fstat(fd_.get(), &st) == 0) size_ = st.st_size;
}

Result<ConsoleLog> ConsoleLog::Open(std::string path, uint64_t limit, bool rotate) {
  UniqueFd fd = OpenForAppend(path);
  if (!fd) return ErrnoError("open lxc.console.logfile " + path);
  return ConsoleLog(std::move(fd), std::move(path), limit, rotate);
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

// Rotation renames the file and opens a new one by name: O_NOFOLLOW, so a
// symlink planted at the path in the meantime is refused (open(2), ELOOP).
Status ConsoleLog::StartOver() {
  size_ = 0;
  if (!rotate_) {
    if (ftruncate(fd_.get(), 0) != 0) return ErrnoError("truncate the console log " + path_);
    return OkStatus();
  }
  if (rename(path_.c_str(), (path_ + ".1").c_str()) != 0) {
    return ErrnoError("rotate the console log " + path_ + " to " + path_ + ".1");
  }
  UniqueFd fresh = OpenForAppend(path_);
  if (!fresh) {
    Error error = ErrnoError("reopen the console log " + path_ + " after its rotation");
    fd_.Reset();
    return error;
  }
  fd_ = std::move(fresh);
  return OkStatus();
}

}  // namespace uxc::lifecycle

#include "helpers/pid_pipe.h"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "helpers/map_request.h"

namespace uxc::helpers {
namespace {

// Waits for a pipe opened O_NONBLOCK to become readable.
Status WaitReadable(int fd, const std::string& name) {
  pollfd polled = {fd, POLLIN, 0};
  while (poll(&polled, 1, -1) < 0) {
    if (errno != EINTR) return ErrnoError("wait for the pid on " + name);
  }
  return OkStatus();
}

}  // namespace

Result<pid_t> ReadPidFromPipe(int fd) {
  std::string name = "wait:" + std::to_string(fd);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    if (errno == EBADF) {
      return PlainError(name + ": fd " + std::to_string(fd) +
                        " is not open: pass the read end of a pipe that will carry the pid");
    }
    return ErrnoError("stat " + name);
  }
  if (!S_ISFIFO(st.st_mode)) {
    return PlainError(name + ": fd " + std::to_string(fd) +
                      " is not a pipe: pass the read end of a pipe that will carry the pid");
  }
  // One read beyond the longest line, so that an overlong one shows.
  char buffer[kMaxPidLine + 1];
  size_t length = 0;
  while (length < sizeof buffer) {
    ssize_t n = read(fd, buffer + length, sizeof buffer - length);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      UXC_RETURN_IF_ERROR(WaitReadable(fd, name));
      continue;
    }
    if (n < 0) return ErrnoError("read the pid from " + name);
    if (n == 0) break;
    length += static_cast<size_t>(n);
    if (std::memchr(buffer, '\n', length) != nullptr) break;
  }
  auto pid = ParsePidLine(std::string_view(buffer, length));
  if (!pid.ok()) return Annotate(pid.take_error(), name);
  return *pid;
}

}  // namespace uxc::helpers

#include "base/read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/unique_fd.h"

namespace uxc {

Result<std::string> ReadSmallFd(int fd, const std::string& origin, size_t max_bytes) {
  std::string text;
  char buffer[8192];
  while (true) {
    ssize_t got = read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("read " + origin);
    }
    if (got == 0) return text;
    text.append(buffer, static_cast<size_t>(got));
    if (text.size() > max_bytes) {
      return PlainError("read " + origin + ": larger than " + std::to_string(max_bytes) +
                        " bytes, which is too large for this file; check that it is the right file");
    }
  }
}

Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK so that a FIFO put in a config file's place cannot hang us.
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) return ErrnoError("open " + path);
  struct stat status;
  if (fstat(fd.get(), &status) != 0) return ErrnoError("stat " + path);
  if (!S_ISREG(status.st_mode)) return PlainError(path + " is not a regular file; replace it with one");
  return ReadSmallFd(fd.get(), path, max_bytes);
}

}  // namespace uxc

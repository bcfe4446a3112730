#include "base/rootfs_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "base/rootfs_path.h"
#include "base/unique_fd.h"

namespace uxc {
namespace {

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

}  // namespace

Result<std::string> ReadRootfsFile(int root_fd, const std::string& root_name, const std::string& path,
                                   size_t max_bytes) {
  std::string name = root_name + path;
  UniqueFd fd(OpenInRoot(root_fd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY));
  if (!fd) return ErrnoError("open " + name);
  struct stat status;
  if (fstat(fd.get(), &status) != 0) return ErrnoError("stat " + name);
  if (!S_ISREG(status.st_mode)) {
    return PlainError(name + ": not a regular file (" + KindOf(status.st_mode) + "); uxc reads only regular files "
                      "from a container's root");
  }
  if (static_cast<uint64_t>(status.st_size) > max_bytes) {
    return PlainError(name + ": " + std::to_string(status.st_size) + " bytes, more than the " +
                      std::to_string(max_bytes) + " that uxc reads from a container's root");
  }
  std::string text(max_bytes + 1 > 65536 ? 65536 : max_bytes + 1, '\0');
  size_t done = 0;
  while (true) {
    if (done == text.size()) text.resize(std::min(text.size() * 2, max_bytes + 1));
    ssize_t got = read(fd.get(), text.data() + done, text.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return ErrnoError("read " + name);
    if (got == 0) break;
    done += static_cast<size_t>(got);
    if (done > max_bytes) {
      return PlainError(name + ": grew past the " + std::to_string(max_bytes) +
                        " bytes that uxc reads from a container's root while it was read");
    }
  }
  text.resize(done);
  return text;
}

}  // namespace uxc

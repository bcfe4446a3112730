#include "base/append_file.h"

#include <fcntl.h>
#include <sys/stat.h>

namespace uxc {

Result<UniqueFd> OpenAppendAt(int dir, const std::string& name, const std::string& origin) {
  UniqueFd fd(openat(dir, name.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
                                            O_CLOEXEC, 0600));
  if (!fd && errno == ENXIO) return PlainError(origin + " is a FIFO, not a regular file; remove it or name another");
  if (!fd) return ErrnoError("open " + origin);
  struct stat status;
  if (fstat(fd.get(), &status) != 0) return ErrnoError("stat " + origin);
  if (!S_ISREG(status.st_mode)) return PlainError(origin + " is not a regular file; remove it or name another");
  int flags = fcntl(fd.get(), F_GETFL);
  if (flags < 0 || fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) return ErrnoError("open " + origin);
  return fd;
}

Result<AppendFile> OpenAppendFile(const std::string& path, const std::string& rootfs, const std::string& what) {
  std::string origin = what + " " + path;
  auto parent = OpenParentDir(path, rootfs);
  if (!parent.ok()) return Annotate(parent.take_error(), what);
  UXC_ASSIGN_OR_RETURN(auto fd, OpenAppendAt(parent->dir.get(), parent->name, origin));
  return AppendFile{std::move(fd), std::move(*parent)};
}

}  // namespace uxc

#include "pam/session_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace uxc::pam {
namespace {

constexpr int kPollMs = 5;

// The directory and the lock file must be root's and writable by no one
// else: whoever could replace the file could hold every login's lock.
Status CheckRootsAlone(int fd, const std::string& path) {
  struct stat status;
  if (fstat(fd, &status) != 0) return ErrnoError("stat " + path);
  if (status.st_uid == 0 && (status.st_mode & (S_IWGRP | S_IWOTH)) == 0) return OkStatus();
  return PlainError(path + " is owned by uid " + std::to_string(status.st_uid) +
                    " or writable by others: it must be root's alone (chown root:root, chmod go-w)");
}

Result<UniqueFd> OpenLockFile() {
  const std::string dir_path = kLockDir, path = dir_path + "/" + kLockName;
  if (mkdir(kLockDir, 0755) != 0 && errno != EEXIST) return ErrnoError("create " + dir_path);
  UniqueFd dir(open(kLockDir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) return ErrnoError("open " + dir_path);
  UXC_RETURN_IF_ERROR(CheckRootsAlone(dir.get(), dir_path));
  UniqueFd file(openat(dir.get(), kLockName, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600));
  if (!file) return ErrnoError("open " + path);
  struct stat status;
  if (fstat(file.get(), &status) != 0) return ErrnoError("stat " + path);
  if (!S_ISREG(status.st_mode)) return PlainError(path + " is not a regular file: remove it");
  UXC_RETURN_IF_ERROR(CheckRootsAlone(file.get(), path));
  return file;
}

}  // namespace

Result<SessionLock> SessionLock::Take(int timeout_ms) {
  UXC_ASSIGN_OR_RETURN(UniqueFd file, OpenLockFile());
  for (int waited = 0;; waited += kPollMs) {
    if (flock(file.get(), LOCK_EX | LOCK_NB) == 0) return SessionLock(std::move(file));
    if (errno != EWOULDBLOCK && errno != EINTR) return ErrnoError(std::string("lock ") + kLockDir + "/" + kLockName);
    if (waited >= timeout_ms) {
      return PlainError(std::string("another login held ") + kLockDir + "/" + kLockName + " for over " +
                        std::to_string(timeout_ms / 1000) + " s");
    }
    usleep(kPollMs * 1000);
  }
}

}  // namespace uxc::pam

// The lock that says a container is in use: an flock(2) on
// <container path>/NAME/lock. Whoever runs the container (start, execute)
// holds it exclusively for as long as the container lives; create and
// destroy hold it while they change the directory. The kernel drops it when
// its holder exits, so a crash leaves no stale lock behind.
#pragma once

#include <string>

#include "base/error.h"
#include "base/unique_fd.h"

namespace uxc::lifecycle {

class ContainerLock {
 public:
  // Takes the lock without waiting. When another process holds it, the
  // error says the container is in use (errno EWOULDBLOCK).
  static Result<ContainerLock> TryAcquire(const std::string& container_dir, const std::string& name);

  // The lock file's path for a container directory.
  static std::string PathFor(const std::string& container_dir);

  // True while the fd is held; the lock ends when this object is destroyed.
  bool held() const { return fd_.valid(); }
  // The locked file's fd, for a process that inherits the lock (the monitor).
  int fd() const { return fd_.get(); }

 private:
  explicit ContainerLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace uxc::lifecycle

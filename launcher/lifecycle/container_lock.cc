#include "launcher/lifecycle/container_lock.h"

#include <fcntl.h>
#include <sys/file.h>

#include <cerrno>

#include "launcher/lifecycle/lxc_presence.h"

namespace uxc::lifecycle {

std::string ContainerLock::PathFor(const std::string& container_dir) { return container_dir + "/lock"; }

Result<ContainerLock> ContainerLock::TryAcquire(const std::string& container_dir, const std::string& name) {
  std::string path = PathFor(container_dir);
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) return ErrnoError("open the container lock " + path);
  if (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Error{EWOULDBLOCK, "container '" + name + "' is running or in use (" + path +
                                    " is locked): stop it first"};
    }
    return ErrnoError("lock " + path);
  }
  // lxc-start takes no lock of uxc's: its command socket says it runs.
  std::string lxcpath = container_dir.substr(0, container_dir.find_last_of('/'));
  if (lifecycle::LxcIsRunning(lxcpath, name)) {
    return Error{EBUSY, "container '" + name + "' is running under LXC (lxc-start); stop it with `lxc-stop -n " +
                            name + " -P " + lxcpath + "` before uxc uses it"};
  }
  return ContainerLock(std::move(fd));
}

}  // namespace uxc::lifecycle

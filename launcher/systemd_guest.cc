#include "launcher/systemd_guest.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/unique_fd.h"

namespace uxc::launcher {
namespace {

// Where `init` leads inside `rootfs`, as a host path; empty when it leads
// nowhere (the start reports a missing init itself).
std::string ResolveInRoot(const std::string& rootfs, const std::string& init) {
  UniqueFd root(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return "";
  open_how how = {};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  UniqueFd target(static_cast<int>(syscall(SYS_openat2, root.get(), init.c_str(), &how, sizeof how)));
  if (!target) return "";
  char path[4096];
  ssize_t n = readlink(("/proc/self/fd/" + std::to_string(target.get())).c_str(), path, sizeof path);
  return n > 0 ? std::string(path, n) : "";
}

}  // namespace

Status RefuseSystemdInit(const std::string& rootfs, const std::string& init) {
  std::string resolved = ResolveInRoot(rootfs, init);
  std::string name = resolved.substr(resolved.rfind('/') + 1);
  if (name != "systemd") return OkStatus();
  return PlainError("the container's init " + init + " is systemd (" + resolved.substr(rootfs.size()) +
                    "), which needs a delegated, writable cgroup v2 of its own; uxc does not give containers "
                    "one yet. Boot a sysvinit guest instead (uxc create NAME -t debian -- --init sysvinit), "
                    "or set lxc.init.cmd to another init");
}

}  // namespace uxc::launcher

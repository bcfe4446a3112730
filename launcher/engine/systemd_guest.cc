#include "launcher/engine/systemd_guest.h"

#include <fcntl.h>

#include "base/rootfs_path.h"
#include "base/unique_fd.h"

namespace uxc::launcher {

Status RefuseSystemdInit(const std::string& rootfs, const std::string& init) {
  UniqueFd root(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return OkStatus();  // the start reports an unusable rootfs itself
  // Where the init leads, as the container sees it: a missing or looping
  // init is the start's to report, when it execs it.
  auto resolved = CanonicalPathInRoot(root.get(), init);
  if (!resolved.ok()) return OkStatus();
  if (resolved->substr(resolved->rfind('/') + 1) != "systemd") return OkStatus();
  return PlainError("the container's init " + init + " is systemd (" + *resolved +
                    "), which needs a delegated, writable cgroup v2 of its own; uxc does not give containers "
                    "one yet. Boot a sysvinit guest instead (uxc create NAME -t debian -- --init sysvinit), "
                    "or set lxc.init.cmd to another init");
}

}  // namespace uxc::launcher

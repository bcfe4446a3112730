#include "launcher/engine/systemd_guest.h"

#include <fcntl.h>

#include "base/rootfs_path.h"
#include "base/unique_fd.h"

namespace uxc::launcher {

std::optional<std::string> SystemdInitPath(const std::string& rootfs, const std::string& init) {
  UniqueFd root(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return std::nullopt;  // the start reports an unusable rootfs itself
  auto resolved = CanonicalPathInRoot(root.get(), init);
  if (!resolved.ok()) return std::nullopt;
  if (resolved->substr(resolved->rfind('/') + 1) != "systemd") return std::nullopt;
  return *resolved;
}

Status RefuseSystemdWithoutCgroup(const std::string& init, const std::string& resolved,
                                  const CgroupProspect& prospect) {
  if (prospect.available) return OkStatus();
  return WithHint(PlainError("the container's init " + init + " is systemd (" + resolved +
                             "), which needs a delegated cgroup v2 of its own, and this start can get none"),
                  prospect.why_not +
                      "; or boot a sysvinit guest (uxc create NAME -t debian -- --init sysvinit), or set "
                      "lxc.init.cmd to another init");
}

}  // namespace uxc::launcher

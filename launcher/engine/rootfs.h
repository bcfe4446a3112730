// The container's root: lxc.rootfs.path (a directory) bind-mounted in the
// container's mount namespace, or an overlay whose writes vanish with the
// container (uxc run); lxc.rootfs.options; pivot_root into it at the end.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "base/error.h"
#include "config/container_config.h"
#include "config/keys.h"
#include "launcher/engine/child_report.h"

namespace uxc::launcher {

struct RootfsPlan {
  std::string path;         // absolute host path of the rootfs directory
  uint64_t attributes = 0;  // MOUNT_ATTR_* from lxc.rootfs.options (ro, nosuid, ...)
  bool ephemeral = false;   // overlay with a tmpfs upper layer
  // Built in the parent for the child, which must not allocate: the overlay
  // options name the rootfs and the tmpfs through /proc/self/fd/<n>.
  std::string overlay_lower;
  std::string overlay_upper;
  std::string overlay_work;
};

// lxc.rootfs.path ("dir:/path" or "/path", an existing directory) and
// lxc.rootfs.options ("ro", "nosuid", "nodev", "noexec", "rw").
Result<RootfsPlan> PlanRootfs(const config::ContainerConfig& config, bool ephemeral);

// What this build cannot do yet with lxc.rootfs.path (config/keys.h).
std::span<const config::BuildLimit> RootfsBuildLimits();

// Child: makes every mount a slave (no mount event reaches the host), then
// binds (or overlays) the rootfs onto its own path. Returns an O_PATH fd of
// the new root, or -1 with `report` filled.
int MountRootfs(const RootfsPlan& plan, ChildReport* report);

// Child: applies lxc.rootfs.options to the root mount, once the mounts that
// may need new mount points in it are done.
int FinishRootfs(int root_fd, const RootfsPlan& plan, ChildReport* report);

// Child: pivot_root into `root_fd` and detach the old root (pivot_root(2):
// new_root and put_old may be the same directory; the old root is then
// stacked on top and unmounted lazily).
int PivotRoot(int root_fd, ChildReport* report);

}  // namespace uxc::launcher

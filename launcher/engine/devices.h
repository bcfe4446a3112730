// lxc.autodev: a tmpfs on /dev with the device nodes a container needs
// bind-mounted from the host (a user namespace may not mknod), the /dev/fd
// and std* symlinks, a new devpts instance on /dev/pts and /dev/ptmx.
// The console and ttys come on top of it (console.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "launcher/engine/mount_plan.h"

namespace uxc::launcher {

struct DevicesPlan {
  bool enabled = true;            // lxc.autodev
  uint64_t tmpfs_size = 500000;   // lxc.autodev.tmpfs.size (bytes), as LXC
  int pty_max = 0;                // lxc.pty.max; 0 = the kernel's limit
  bool tty_group_mapped = false;  // gid 5 (tty) exists in the container
};

// The device nodes bound from the host, as libvirt-lxc and LXC provide them.
const std::vector<std::string>& HostDeviceNodes();

// lxc.autodev, lxc.autodev.tmpfs.size and lxc.pty.max.
Result<DevicesPlan> PlanDevices(const config::ContainerConfig& config, bool tty_group_mapped);

// The tmpfs on /dev, mounted before the other mounts (so that entries under
// /dev land on it).
std::vector<MountStep> PlanDevTmpfs(const DevicesPlan& plan);

// The nodes, symlinks, /dev/pts and /dev/ptmx, after lxc.mount.entry.
// devpts is mounted even without autodev, on the rootfs's /dev/pts;
// `reserved_ptys` (the console and ttys) are added to lxc.pty.max.
std::vector<MountStep> PlanDevContents(const DevicesPlan& plan, int reserved_ptys);

}  // namespace uxc::launcher

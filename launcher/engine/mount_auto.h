// lxc.mount.auto: /proc, /sys and the cgroup file system, with LXC's modes.
//   proc:mixed (or proc)  proc, with /proc/sys and /proc/sysrq-trigger
//                         read-only (/proc/sys/net stays writable when the
//                         container has its own network and keeps
//                         CAP_NET_ADMIN)
//   proc:rw               proc, all writable
//   sys:ro / sys:rw       sysfs read-only / writable
//   sys:mixed (or sys)    sysfs read-only, /sys/devices/virtual/net writable
//   cgroup:ro|rw|mixed    a cgroup2 of the container's cgroup namespace on
//   (or cgroup)           /sys/fs/cgroup, rooted at its payload cgroup
//                         (read-only for ro; mixed is rw, as LXC's on
//                         cgroup2). cgroup-full[:MODE] is the same, and
//                         :force changes nothing. Without a cgroup
//                         namespace it is skipped with a note: it would
//                         show the host's tree.
// sysfs needs a network namespace owned by the container's user namespace;
// without one (lxc.net.0.type = none) /sys is a recursive bind of the host's.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/keys.h"
#include "launcher/engine/mount_plan.h"

namespace uxc::launcher {

struct AutoMounts {
  enum class Proc { kNone, kMixed, kReadWrite } proc = Proc::kNone;
  enum class Sys { kNone, kReadOnly, kReadWrite, kMixed } sys = Sys::kNone;
  enum class Cgroup { kNone, kReadOnly, kReadWrite, kMixed } cgroup = Cgroup::kNone;
};

// The values of every lxc.mount.auto line, in order; a later token of a
// category replaces an earlier one (as LXC merges them). An empty list
// mounts nothing.
Result<AutoMounts> ParseAutoMounts(const std::vector<std::string>& values);

// What this build cannot do yet with lxc.mount.auto (config/keys.h).
std::span<const config::BuildLimit> MountAutoBuildLimits();

struct AutoMountContext {
  bool own_network = true;  // a network namespace of the container's user ns
  bool own_cgroup_namespace = true;
  bool keeps_net_admin = true;  // CAP_NET_ADMIN stays in the bounding set
  std::string origin = "lxc.mount.auto";
};

// proc and sys steps, mounted before lxc.mount.entry (as LXC does).
std::vector<MountStep> PlanProcAndSys(const AutoMounts& mounts, const AutoMountContext& context);

// The cgroup step, mounted after lxc.mount.entry. `notes` gets a line when
// the mount is skipped.
std::vector<MountStep> PlanCgroup(const AutoMounts& mounts, const AutoMountContext& context,
                                  std::vector<std::string>* notes);

}  // namespace uxc::launcher

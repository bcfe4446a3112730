// The container's own cgroup, the `cgroup` row of the host concerns
// (host_concerns.h), in LXC's layout with uxc's names: below the cgroup
// delegated to the caller (kernel::FindDelegationPoint), a payload cgroup
// uxc.payload.NAME, which the init is cloned into and whose cgroup
// namespace it roots, and a monitor leaf uxc.monitor.NAME. systemd's
// delegation contract holds: the delegated cgroup's own files are never
// written, only its cgroup.subtree_control, and that only when a limit needs
// a controller; the monitor moves into its leaf first when it sits in the
// delegated cgroup itself (the no-internal-process rule). The limits are
// written before the init runs, and a limit that cannot be applied fails the
// start (cgroup_fix.h). The container's root then owns the payload and the
// files /sys/kernel/cgroup/delegate lists (mapped_root.h).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/engine/cgroup_plan.h"
#include "launcher/lifecycle/host_concerns.h"

namespace uxc::lifecycle {

// Before anything exists: fails when a limit of `plan` cannot be applied
// here, and adds to `notes` the line that says a container without limits
// goes without a cgroup of its own, when none is delegated.
Status CheckContainerCgroup(const launcher::CgroupPlan& plan, std::vector<std::string>* notes);

// The slots (host_concerns.h).
Status MakeContainerCgroup(StartContext& start);
Status ConfirmContainerCgroup(StartContext& start);
// The payload: what runs in it is killed (cgroup.kill), then it is removed
// once empty (bounded wait), with the cgroups the container made in it.
// The monitor's leaf: removed, its releaser first moving out to a
// uxc.pivot leaf beside it when it is inside. A parent: removed when empty.
Status ReleaseContainerCgroup(const AcquiredEntry& entry, StopContext& stop);

}  // namespace uxc::lifecycle

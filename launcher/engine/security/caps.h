// lxc.cap.keep and lxc.cap.drop act on the bounding set only, as in LXC: the
// container's root keeps its effective capabilities in its user namespace
// until the exec; what the bounding set lacks, no later exec can regain.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/engine/child_report.h"

namespace uxc::security {

// The capabilities to drop from the bounding set, ascending, out of the
// `cap_count` the kernel knows: everything not in `keep` when keep is given
// (an empty keep, "lxc.cap.keep = none", drops all), else `drop`. CAP_MKNOD
// is dropped either way unless `keep` lists it (libvirt-lxc's default; a
// container has no business creating device nodes).
std::vector<int> BoundingSetDrops(const std::optional<std::vector<int>>& keep,
                                  const std::vector<int>& drop, int cap_count);

// The number of capabilities this kernel knows (CAP_LAST_CAP + 1), via libcap.
int KernelCapabilityCount();

// "cap_sys_admin", via libcap.
std::string CapabilityName(int cap);

// Child side, no allocation. Each returns 0, or -1 with the failed step and
// its errno in `report`.
int DropBoundingSet(const std::vector<int>& caps, launcher::ChildReport* report);
// Empties the ambient and inheritable sets; effective and permitted stay.
int ClearInheritableAndAmbient(launcher::ChildReport* report);

}  // namespace uxc::security

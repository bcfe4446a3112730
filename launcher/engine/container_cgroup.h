// A cgroup of the container's own, which this build does not make yet: the
// container runs in the caller's cgroup. Until it does, lxc.cgroup2.* limits
// are ignored with a warning (here), a systemd init is refused
// (systemd_guest.h), and so is `uxc freeze` (cli/freeze.cc).
#pragma once

#include <span>

#include "config/keys.h"

namespace uxc::launcher {

// What this build cannot do yet with the lxc.cgroup2.* keys (config/keys.h).
std::span<const config::BuildLimit> ContainerCgroupBuildLimits();

}  // namespace uxc::launcher

// checkconfig's line per controller that lxc.cgroup2.* limits use (memory,
// pids, cpu, cpuset, io, hugetlb): whether a limit on it would apply here,
// and when not, what stands in the way (bound to cgroup v1 on a hybrid
// host, not in the kernel, nothing delegated, or delegated without it) and
// the fix. A start refuses a limit that cannot apply, so these lines must
// tell the truth. Pure code.
#pragma once

#include <vector>

#include "kernel/cgroup_layout.h"
#include "launcher/cli/checkconfig_checks.h"

namespace uxc::cli {

std::vector<Check> CheckControllers(const HostFacts& facts, const kernel::CgroupLayout& layout);

}  // namespace uxc::cli

// What the container's first process does between clone and exec, in order
// (DESIGN.md "Start sequence" step 6): become root of the user namespace,
// set the hostname, build the root (rootfs, /dev, /proc, /sys, entries,
// cgroup, devices, console and ttys), pivot_root, bring up lo, apply the
// process settings and the security plan, hand the ptys to the launcher,
// then become the init that runs the payload. No allocation: every step
// reports through a ChildReport.
#pragma once

#include <signal.h>

#include "launcher/engine/start_plan.h"

namespace uxc::launcher {

// `unshare_cgroup`: the launcher moves the child into its cgroup before
// the go (no CLONE_INTO_CGROUP), so the child makes its cgroup namespace
// then, rooted there.
[[noreturn]] void RunContainerChild(const StartPlan& plan, int sync_fd,
                                    const sigset_t& payload_mask, bool unshare_cgroup);

}  // namespace uxc::launcher

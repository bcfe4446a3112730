// Carries out a mount plan in the child, under the container's root. Every
// path inside the container is resolved with openat2(RESOLVE_IN_ROOT) and
// every mount is attached by fd (open_tree/fsmount + move_mount), so a
// symlink in a hostile rootfs cannot make a mount land outside it. No
// allocation: errors go into a ChildReport.
#pragma once

#include <cstdint>

#include "launcher/engine/child_report.h"
#include "launcher/engine/mount_plan.h"

namespace uxc::launcher {

// openat2(root_fd, path, flags | O_CLOEXEC, RESOLVE_IN_ROOT |
// RESOLVE_NO_MAGICLINKS | extra_resolve). Returns the fd or -1 (errno).
int OpenInRoot(int root_fd, const char* path, int flags, uint64_t extra_resolve = 0);

// Applies one step. Returns 0, or -1 with `report` filled.
int ApplyMountStep(int root_fd, const MountStep& step, ChildReport* report);

// Applies the steps in order; stops at the first failure.
int ApplyMountPlan(int root_fd, const MountPlan& plan, ChildReport* report);

}  // namespace uxc::launcher

namespace uxc::launcher {

// Bind-mounts the file behind `source_fd` (any fd, e.g. a pty) on
// `step.target`, creating the target as `step.create` says.
int BindFdOnto(int root_fd, int source_fd, const MountStep& step, ChildReport* report);

}  // namespace uxc::launcher

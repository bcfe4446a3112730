// A guest whose init is systemd needs a delegated, writable cgroup v2 of
// its own; uxc gives containers none yet, so such a start is refused up
// front with what to do, instead of a guest that hangs or dies mid-boot.
#pragma once

#include <string>

#include "base/error.h"

namespace uxc::launcher {

// `init` is the init's path inside the container; `rootfs` the host path of
// its root. Refuses when the path resolves, inside that root, to systemd.
Status RefuseSystemdInit(const std::string& rootfs, const std::string& init);

}  // namespace uxc::launcher

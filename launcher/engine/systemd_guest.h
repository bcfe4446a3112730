// A guest whose init is systemd. It needs a delegated, writable cgroup v2
// of its own, which it manages itself (systemd's CGROUP_DELEGATION.md): a
// start where none can be had is refused up front with what to do, instead
// of a guest that hangs or dies mid-boot. `uxc stop` halts it with
// SIGRTMIN+3, systemd's halt signal (systemd(1)), as LXC does for an init
// that blocks it (host_plan.h).
#pragma once

#include <optional>
#include <string>

#include "base/error.h"
#include "launcher/systemd/cgroup_prospect.h"

namespace uxc::launcher {

// `init` is the init's path inside the container; `rootfs` the host path of
// its root. The path it resolves to inside that root (as the container
// sees it) when that is systemd; nothing for another init, and for one that
// is missing or loops (the start reports that when it execs it).
std::optional<std::string> SystemdInitPath(const std::string& rootfs, const std::string& init);

// Refuses systemd at `resolved` (SystemdInitPath of `init`) when
// `prospect` says the container can get no delegated cgroup.
Status RefuseSystemdWithoutCgroup(const std::string& init, const std::string& resolved,
                                  const CgroupProspect& prospect);

}  // namespace uxc::launcher

// The container's network, as far as the start engine goes without a
// privileged helper: lxc.net.N.type "empty" (or no lxc.net at all) gives
// the container its own network namespace, owned by its user namespace,
// with the loopback up; "none" shares the caller's network. "veth" needs
// the uxc-user-nic helper and is refused with a clear error for now.
#pragma once

#include <span>

#include "base/error.h"
#include "config/container_config.h"
#include "config/keys.h"
#include "launcher/engine/child_report.h"

namespace uxc::launcher {

struct NetworkPlan {
  bool share_host = false;  // lxc.net.0.type = none
};

Result<NetworkPlan> PlanNetwork(const config::ContainerConfig& config);

// What this build cannot do yet with the network keys (config/keys.h).
std::span<const config::BuildLimit> NetworkBuildLimits();

// Child, in the new network namespace: brings "lo" up.
int BringUpLoopback(ChildReport* report);

}  // namespace uxc::launcher

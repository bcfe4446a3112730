// The container's network (lxc.net.N.*). "empty" (or no lxc.net at all)
// gives the container its own network namespace, owned by its user
// namespace, with the loopback up; "none" shares the caller's network;
// "veth" adds a veth pair that the setuid uxc-user-nic makes (docs/usernet.md)
// with its host end on the bridge `link` (or on none, as LXC's unprivileged
// veth without a link), which the launcher then configures inside the
// container's namespace (nic_setup.h). Other types need root.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "config/keys.h"
#include "config/values.h"
#include "launcher/engine/child_report.h"

namespace uxc::launcher {

// One lxc.net.N of type veth, as planned: every value checked, the random
// digits of the hardware address filled in.
struct NicPlan {
  int index = 0;     // N
  std::string link;  // the bridge; "none": the host end is on no bridge
  // Inside the container: lxc.net.N.name; empty: the kernel's next ethN.
  std::string name;
  std::optional<std::array<uint8_t, 6>> hwaddr;
  bool up = false;    // lxc.net.N.flags = up
  uint32_t mtu = 0;   // of the container's end; 0: the bridge's
  std::vector<config::IpAddress> ipv4;
  std::vector<config::IpAddress> ipv6;
  std::optional<config::Gateway> ipv4_gateway;
  std::optional<config::Gateway> ipv6_gateway;
  std::string script_up;    // lxc.net.N.script.up
  std::string script_down;  // lxc.net.N.script.down

  // "lxc.net.0", for messages.
  std::string key() const { return "lxc.net." + std::to_string(index); }
};

struct NetworkPlan {
  bool share_host = false;  // lxc.net.0.type = none
  std::vector<NicPlan> nics;
};

// `notes` gets what the plan leaves out and why (a gateway on a nic that
// stays down, as LXC).
Result<NetworkPlan> PlanNetwork(const config::ContainerConfig& config, std::vector<std::string>* notes);

// What this build cannot do with the network keys (config/keys.h).
std::span<const config::BuildLimit> NetworkBuildLimits();

// Child, in the new network namespace: brings "lo" up.
int BringUpLoopback(ChildReport* report);

// The hardware address of `pattern` ("00:16:3e:xx:xx:xx") with each x a
// random hex digit and, when the first octet's low digit is random, the
// multicast bit cleared (LXC's rand_complete_hwaddr).
std::array<uint8_t, 6> CompleteHwAddr(const std::string& pattern);

}  // namespace uxc::launcher

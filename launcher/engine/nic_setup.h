// The veth nics of a start (network.h), in the parent while the child waits
// for its go: uxc-user-nic makes each pair with its peer in the container's
// network namespace (the host concern in lifecycle runs and records it,
// through NicAttacher), then the launcher configures the peer over netlink,
// without `ip`: through a socket the child opened inside the namespace (the
// launcher, as the owner of the container's user namespace, holds
// CAP_NET_ADMIN over it; rtnetlink.h Adopt).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "kernel/rtnetlink.h"
#include "launcher/engine/network.h"

namespace uxc::launcher {

// What uxc-user-nic made for one NicPlan: its output
// "<container-nic>:<ifindex>:<host-nic>:<ifindex>".
struct AttachedNic {
  std::string container_name;
  int container_index = 0;
  std::string host_name;
  int host_index = 0;
};
Result<AttachedNic> ParseUserNicOutput(const std::string& output);

// The host's side: make the pair of `nic` with its peer in the namespace of
// `netns_fd` (and record it, and run lxc.net.N.script.up).
class NicAttacher {
 public:
  virtual ~NicAttacher() = default;
  virtual Result<AttachedNic> Attach(const NicPlan& nic, int netns_fd) = 0;
};

// Every nic of `plan`: attached, then configured through `netlink`, a
// socket of the container's namespace `netns`.
Status GiveNics(const NetworkPlan& plan, NicAttacher& attacher, const UniqueFd& netns, UniqueFd netlink);

// The container's end of one nic, as `nic` says: hardware address, MTU, up,
// addresses, gateways. `bridge_addresses` are those of the bridge in the
// launcher's namespace, for a gateway "auto".
Status ConfigureNic(kernel::Rtnetlink& inside, const NicPlan& nic, int index,
                    const std::vector<kernel::AddressInfo>& bridge_addresses);

}  // namespace uxc::launcher

// Links, addresses and routes through rtnetlink (rtnetlink(7)) on a
// NETLINK_ROUTE socket of the caller's network namespace: what uxc-user-nic
// needs to give a container a veth on a bridge, without the `ip` command.
// Links are named by index once found; a name is checked as the kernel
// checks it (dev_valid_name) so the error says which name is bad.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "kernel/netlink_message.h"

namespace uxc::kernel {

// An IPv4 or IPv6 address in network byte order.
struct IpAddress {
  int family = 0;  // AF_INET or AF_INET6
  uint8_t bytes[16] = {};
  size_t size() const;  // 4 or 16
  static Result<IpAddress> Parse(std::string_view text);
};

// A veth pair made in one request: the host end here, the peer created
// straight in the network namespace of `peer_netns_fd`, so that no process
// or pid stands between the check of that namespace and the create.
struct VethSpec {
  std::string host_name;
  std::optional<std::array<uint8_t, 6>> host_address;  // the kernel's random one when unset
  uint32_t mtu = 0;   // both ends; 0: the kernel's default
  int master = 0;     // the host end joins this bridge; 0: none
  bool host_up = false;
  std::string peer_name;  // may hold "%d", which the kernel fills in there
  int peer_netns_fd = -1;
};

class Rtnetlink {
 public:
  // A socket of the calling thread's network namespace.
  static Result<Rtnetlink> Open();
  // A NETLINK_ROUTE socket that another process opened, in its network
  // namespace: requests act there. The kernel checks CAP_NET_ADMIN of both
  // the socket's opener and the sender (netlink_ns_capable), over the
  // namespace's owning user namespace, which the owner of that user
  // namespace holds from its parent (user_namespaces(7)).
  static Rtnetlink Adopt(UniqueFd socket);

  // A veth pair: `name` here and its `peer`, both down.
  Status CreateVethPair(std::string_view name, std::string_view peer);
  // The pair, the host end's address, MTU, master and up state set by the
  // kernel in the same request: if any of it fails, nothing is left.
  Status CreateVeth(const VethSpec& spec);
  Status CreateBridge(std::string_view name);
  Status DeleteLink(int index);

  Result<LinkInfo> Link(std::string_view name);
  Result<LinkInfo> Link(int index);
  // Link `index` of the namespace that `netnsid` names here (a link's
  // IFLA_LINK_NETNSID). The kernel answers only a socket whose opener holds
  // CAP_NET_ADMIN over that namespace (rtnl_get_net_ns_capable).
  Result<LinkInfo> LinkInNetns(int index, int32_t netnsid);

  // Moves the link into the network namespace of `netns_fd` (an fd of
  // /proc/PID/ns/net); its index there may differ.
  Status MoveToNetns(int index, int netns_fd);
  Status SetMaster(int index, int master_index);
  Status SetUp(int index);
  Status SetMtu(int index, uint32_t mtu);
  Status SetName(int index, std::string_view name);
  Status SetHardwareAddress(int index, const std::array<uint8_t, 6>& address);
  // `broadcast`, IPv4 only: IFA_BROADCAST.
  Status AddAddress(int index, const IpAddress& address, uint8_t prefix_length,
                    const std::optional<IpAddress>& broadcast = std::nullopt);
  // The addresses of `family` (AF_UNSPEC: all) on link `index` (0: every link).
  Result<std::vector<AddressInfo>> Addresses(int family, int index = 0);
  // A route to `destination`/`prefix_length` (0: the default route) out of
  // link `index`, through `gateway` when given.
  Status AddRoute(const IpAddress& destination, uint8_t prefix_length, const std::optional<IpAddress>& gateway,
                  int index);

 private:
  explicit Rtnetlink(UniqueFd fd) : fd_(std::move(fd)) {}
  // Sends `request` and reads until its acknowledgement; the other
  // messages of the answer are returned, back to back as they came. `what`
  // names the step in errors.
  Result<std::vector<uint8_t>> Transact(NetlinkRequest& request, const std::string& what);
  Status Run(NetlinkRequest& request, const std::string& what);
  Result<LinkInfo> QueryLink(NetlinkRequest& request, const std::string& what);
  static void EnableAcks(int fd);

  UniqueFd fd_;
  uint32_t sequence_ = 0;
};

// Whether the kernel takes `name` for a network interface: 1 to 15 bytes,
// not "." or "..", no '/', ':' or blank (net/core/dev.c dev_valid_name).
bool IsValidLinkName(std::string_view name);

}  // namespace uxc::kernel

#include "kernel/rtnetlink.h"

#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <sys/socket.h>

#include <cctype>
#include <cstring>

namespace uxc::kernel {
namespace {

NetlinkRequest LinkRequest(uint16_t type, uint16_t flags, int index, unsigned ifi_flags = 0,
                           unsigned ifi_change = 0) {
  NetlinkRequest request(type, flags);
  ifinfomsg header{};
  header.ifi_family = AF_UNSPEC;
  header.ifi_index = index;
  header.ifi_flags = ifi_flags;
  header.ifi_change = ifi_change;
  request.PutStruct(header);
  return request;
}

Status CheckLinkName(std::string_view name) {
  if (IsValidLinkName(name)) return OkStatus();
  return PlainError("\"" + std::string(name) + "\" is not a valid interface name (1 to " +
                    std::to_string(IFNAMSIZ - 1) + " bytes, no '/', ':' or blanks, not \".\" or \"..\")");
}

std::string LinkName(int index) { return "link " + std::to_string(index); }

std::string AddressText(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(address.family, address.bytes, text, sizeof text);
  return text;
}

}  // namespace

size_t IpAddress::size() const { return family == AF_INET ? 4 : 16; }

Result<IpAddress> IpAddress::Parse(std::string_view text) {
  std::string terminated(text);
  IpAddress address;
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, terminated.c_str(), address.bytes) == 1) {
      address.family = family;
      return address;
    }
  }
  return PlainError("\"" + terminated + "\" is not an IPv4 or IPv6 address");
}

bool IsValidLinkName(std::string_view name) {
  if (name.empty() || name.size() >= IFNAMSIZ || name == "." || name == "..") return false;
  for (char c : name) {
    if (c == '/' || c == ':' || c == '\0' || isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

Result<Rtnetlink> Rtnetlink::Open() {
  UniqueFd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd) return ErrnoError("open a NETLINK_ROUTE socket");
  sockaddr_nl local{};
  local.nl_family = AF_NETLINK;
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    return ErrnoError("bind a NETLINK_ROUTE socket");
  }
  EnableAcks(fd.get());
  return Rtnetlink(std::move(fd));
}

Rtnetlink Rtnetlink::Adopt(UniqueFd socket) {
  EnableAcks(socket.get());
  return Rtnetlink(std::move(socket));
}

void Rtnetlink::EnableAcks(int fd) {
  // The kernel's own reason in errors, and acknowledgements that echo only
  // the request's header (netlink(7)). Older kernels lack both: not fatal.
  int on = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on);
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof on);
}

Result<std::vector<uint8_t>> Rtnetlink::Transact(NetlinkRequest& request, const std::string& what) {
  uint32_t sequence = ++sequence_;
  std::span<const uint8_t> bytes = request.Finish(sequence);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd_.get(), bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) !=
      static_cast<ssize_t>(bytes.size())) {
    return ErrnoError(what + ": send the netlink request");
  }
  std::vector<uint8_t> answer;
  std::vector<uint8_t> buffer(64 << 10);
  while (true) {
    sockaddr_nl sender{};
    socklen_t sender_size = sizeof sender;
    ssize_t got = recvfrom(fd_.get(), buffer.data(), buffer.size(), MSG_TRUNC, reinterpret_cast<sockaddr*>(&sender),
                           &sender_size);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return ErrnoError(what + ": read the netlink answer");
    if (static_cast<size_t>(got) > buffer.size()) return PlainError(what + ": the netlink answer was cut short");
    if (sender.nl_pid != 0) continue;  // only the kernel answers
    auto messages = SplitMessages(std::span<const uint8_t>(buffer.data(), static_cast<size_t>(got)));
    if (!messages.ok()) return Annotate(messages.take_error(), what);
    for (const NetlinkMessage& message : *messages) {
      if (message.sequence != sequence) continue;
      // A dump ends with NLMSG_DONE and no acknowledgement (netlink(7)).
      if (message.type == NLMSG_DONE) return answer;
      if (std::optional<NetlinkAck> ack = ParseAck(message)) {
        if (ack->error == 0) return answer;
        return ErrnoError(ack->error, what + (ack->text.empty() ? "" : " (" + ack->text + ")"));
      }
      const uint8_t* start = message.payload.data() - NLMSG_HDRLEN;
      answer.insert(answer.end(), start, start + NLMSG_HDRLEN + message.payload.size());
      answer.resize(NLMSG_ALIGN(answer.size()), 0);
    }
  }
}

Status Rtnetlink::Run(NetlinkRequest& request, const std::string& what) {
  UXC_RETURN_IF_ERROR(Transact(request, what));
  return OkStatus();
}

Result<LinkInfo> Rtnetlink::QueryLink(NetlinkRequest& request, const std::string& what) {
  UXC_ASSIGN_OR_RETURN(auto answer, Transact(request, what));
  auto messages = SplitMessages(answer);
  if (!messages.ok() || messages->empty()) return PlainError(what + ": the kernel sent no link");
  auto link = ParseLinkMessage(messages->front());
  if (!link.ok()) return Annotate(link.take_error(), what);
  return link;
}

Status Rtnetlink::CreateVethPair(std::string_view name, std::string_view peer) {
  UXC_RETURN_IF_ERROR(CheckLinkName(name));
  UXC_RETURN_IF_ERROR(CheckLinkName(peer));
  NetlinkRequest request = LinkRequest(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
  request.PutString(IFLA_IFNAME, name);
  size_t info = request.BeginNested(IFLA_LINKINFO);
  request.PutString(IFLA_INFO_KIND, "veth");
  size_t data = request.BeginNested(IFLA_INFO_DATA);
  // veth_newlink: the peer is an ifinfomsg followed by its own attributes.
  size_t peer_info = request.BeginNested(VETH_INFO_PEER);
  request.PutStruct(ifinfomsg{});
  request.PutString(IFLA_IFNAME, peer);
  request.EndNested(peer_info);
  request.EndNested(data);
  request.EndNested(info);
  return Run(request, "create the veth pair " + std::string(name) + " and " + std::string(peer));
}

Status Rtnetlink::CreateVeth(const VethSpec& spec) {
  UXC_RETURN_IF_ERROR(CheckLinkName(spec.host_name));
  UXC_RETURN_IF_ERROR(CheckLinkName(spec.peer_name));
  unsigned up = spec.host_up ? IFF_UP : 0;
  NetlinkRequest request = LinkRequest(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0, up, up);
  request.PutString(IFLA_IFNAME, spec.host_name);
  if (spec.host_address) request.PutAttribute(IFLA_ADDRESS, spec.host_address->data(), spec.host_address->size());
  if (spec.mtu != 0) request.PutU32(IFLA_MTU, spec.mtu);
  if (spec.master != 0) request.PutU32(IFLA_MASTER, static_cast<uint32_t>(spec.master));
  size_t info = request.BeginNested(IFLA_LINKINFO);
  request.PutString(IFLA_INFO_KIND, "veth");
  size_t data = request.BeginNested(IFLA_INFO_DATA);
  size_t peer_info = request.BeginNested(VETH_INFO_PEER);
  request.PutStruct(ifinfomsg{});
  request.PutString(IFLA_IFNAME, spec.peer_name);
  if (spec.mtu != 0) request.PutU32(IFLA_MTU, spec.mtu);
  if (spec.peer_netns_fd >= 0) request.PutU32(IFLA_NET_NS_FD, static_cast<uint32_t>(spec.peer_netns_fd));
  request.EndNested(peer_info);
  request.EndNested(data);
  request.EndNested(info);
  return Run(request, "create the veth pair " + spec.host_name + " and " + spec.peer_name);
}

Status Rtnetlink::CreateBridge(std::string_view name) {
  UXC_RETURN_IF_ERROR(CheckLinkName(name));
  NetlinkRequest request = LinkRequest(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
  request.PutString(IFLA_IFNAME, name);
  size_t info = request.BeginNested(IFLA_LINKINFO);
  request.PutString(IFLA_INFO_KIND, "bridge");
  request.EndNested(info);
  return Run(request, "create the bridge " + std::string(name));
}

Status Rtnetlink::DeleteLink(int index) {
  NetlinkRequest request = LinkRequest(RTM_DELLINK, 0, index);
  return Run(request, "delete " + LinkName(index));
}

Result<LinkInfo> Rtnetlink::Link(std::string_view name) {
  UXC_RETURN_IF_ERROR(CheckLinkName(name));
  NetlinkRequest request = LinkRequest(RTM_GETLINK, 0, 0);
  request.PutString(IFLA_IFNAME, name);
  return QueryLink(request, "find the link " + std::string(name));
}

Result<LinkInfo> Rtnetlink::Link(int index) {
  NetlinkRequest request = LinkRequest(RTM_GETLINK, 0, index);
  return QueryLink(request, "find " + LinkName(index));
}

Result<LinkInfo> Rtnetlink::LinkInNetns(int index, int32_t netnsid) {
  NetlinkRequest request = LinkRequest(RTM_GETLINK, 0, index);
  request.PutU32(IFLA_TARGET_NETNSID, static_cast<uint32_t>(netnsid));
  return QueryLink(request, "find " + LinkName(index) + " of network namespace id " + std::to_string(netnsid));
}

Status Rtnetlink::MoveToNetns(int index, int netns_fd) {
  NetlinkRequest request = LinkRequest(RTM_NEWLINK, 0, index);
  request.PutU32(IFLA_NET_NS_FD, static_cast<uint32_t>(netns_fd));
  return Run(request, "move " + LinkName(index) + " to another network namespace");
}

Status Rtnetlink::SetMaster(int index, int master_index) {
  NetlinkRequest request = LinkRequest(RTM_NEWLINK, 0, index);
  request.PutU32(IFLA_MASTER, static_cast<uint32_t>(master_index));
  return Run(request, "attach " + LinkName(index) + " to " + LinkName(master_index));
}

Status Rtnetlink::SetUp(int index) {
  NetlinkRequest request = LinkRequest(RTM_NEWLINK, 0, index, IFF_UP, IFF_UP);
  return Run(request, "bring " + LinkName(index) + " up");
}

Status Rtnetlink::SetMtu(int index, uint32_t mtu) {
  NetlinkRequest request = LinkRequest(RTM_NEWLINK, 0, index);
  request.PutU32(IFLA_MTU, mtu);
  return Run(request, "set the MTU of " + LinkName(index) + " to " + std::to_string(mtu));
}

Status Rtnetlink::SetName(int index, std::string_view name) {
  UXC_RETURN_IF_ERROR(CheckLinkName(name));
  NetlinkRequest request = LinkRequest(RTM_NEWLINK, 0, index);
  request.PutString(IFLA_IFNAME, name);
  return Run(request, "rename " + LinkName(index) + " to " + std::string(name));
}

Status Rtnetlink::SetHardwareAddress(int index, const std::array<uint8_t, 6>& address) {
  NetlinkRequest request = LinkRequest(RTM_NEWLINK, 0, index);
  request.PutAttribute(IFLA_ADDRESS, address.data(), address.size());
  return Run(request, "set the hardware address of " + LinkName(index));
}

Result<std::vector<AddressInfo>> Rtnetlink::Addresses(int family, int index) {
  NetlinkRequest request(RTM_GETADDR, NLM_F_DUMP);
  ifaddrmsg header{};
  header.ifa_family = static_cast<uint8_t>(family);
  request.PutStruct(header);
  std::string what = "list the addresses" + (index != 0 ? " of " + LinkName(index) : std::string());
  UXC_ASSIGN_OR_RETURN(auto answer, Transact(request, what));
  UXC_ASSIGN_OR_RETURN(auto messages, SplitMessages(answer));
  std::vector<AddressInfo> addresses;
  for (const NetlinkMessage& message : messages) {
    auto address = ParseAddressMessage(message);
    if (!address.ok()) return Annotate(address.take_error(), what);
    if (index == 0 || address->index == index) addresses.push_back(*address);
  }
  return addresses;
}

Status Rtnetlink::AddAddress(int index, const IpAddress& address, uint8_t prefix_length,
                             const std::optional<IpAddress>& broadcast) {
  NetlinkRequest request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
  ifaddrmsg header{};
  header.ifa_family = static_cast<uint8_t>(address.family);
  header.ifa_prefixlen = prefix_length;
  header.ifa_index = static_cast<uint32_t>(index);
  request.PutStruct(header);
  request.PutAttribute(IFA_LOCAL, address.bytes, address.size());
  request.PutAttribute(IFA_ADDRESS, address.bytes, address.size());
  if (broadcast) request.PutAttribute(IFA_BROADCAST, broadcast->bytes, broadcast->size());
  return Run(request, "add the address " + AddressText(address) + "/" + std::to_string(prefix_length) +
                                    " to " + LinkName(index));
}

Status Rtnetlink::AddRoute(const IpAddress& destination, uint8_t prefix_length,
                           const std::optional<IpAddress>& gateway, int index) {
  NetlinkRequest request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL);
  rtmsg header{};
  header.rtm_family = static_cast<uint8_t>(destination.family);
  header.rtm_dst_len = prefix_length;
  header.rtm_table = RT_TABLE_MAIN;
  header.rtm_protocol = RTPROT_BOOT;
  // Without a gateway the destination is on the link itself.
  header.rtm_scope = gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
  header.rtm_type = RTN_UNICAST;
  request.PutStruct(header);
  if (prefix_length > 0) request.PutAttribute(RTA_DST, destination.bytes, destination.size());
  if (gateway) request.PutAttribute(RTA_GATEWAY, gateway->bytes, gateway->size());
  request.PutU32(RTA_OIF, static_cast<uint32_t>(index));
  std::string via = gateway ? " via " + AddressText(*gateway) : "";
  return Run(request, "add the route to " + AddressText(destination) + "/" + std::to_string(prefix_length) +
                                    via + " on " + LinkName(index));
}

}  // namespace uxc::kernel

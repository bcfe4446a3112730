#include "launcher/engine/nic_setup.h"

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

#include "config/text_util.h"  // Split
#include "launcher/engine/log.h"

namespace uxc::launcher {
namespace {

kernel::IpAddress KernelAddress(int family, const uint8_t* bytes) {
  kernel::IpAddress address;
  address.family = family;
  std::memcpy(address.bytes, bytes, family == AF_INET ? 4 : 16);
  return address;
}

std::string Text(const kernel::IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(address.family, address.bytes, text, sizeof text);
  return text;
}

Result<int> ParseIndex(std::string_view text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0) {
    return PlainError("not an interface index: \"" + std::string(text) + "\"");
  }
  return value;
}

// The bridge's address for a gateway "auto", as LXC takes it: its first
// address of the family with global scope. The launcher reads it in its own
// namespace, where uxc-user-nic attached the host end; no privilege needed.
Result<kernel::IpAddress> AutoGateway(const NicPlan& nic, int family,
                                      const std::vector<kernel::AddressInfo>& bridge_addresses) {
  for (const kernel::AddressInfo& address : bridge_addresses) {
    if (address.family == family && address.scope == RT_SCOPE_UNIVERSE) {
      return KernelAddress(family, address.bytes);
    }
  }
  const char* version = family == AF_INET ? "ipv4" : "ipv6";
  return PlainError(nic.key() + "." + version + ".gateway = auto: the bridge " + nic.link + " has no " +
                    (family == AF_INET ? "IPv4" : "global IPv6") + " address; ask root to give it one, or write "
                    "the gateway's address");
}

Status AddGateway(kernel::Rtnetlink& inside, const NicPlan& nic, int index, int family,
                  const std::optional<config::Gateway>& gateway,
                  const std::vector<kernel::AddressInfo>& bridge_addresses) {
  if (!gateway) return OkStatus();
  kernel::IpAddress any;
  any.family = family;
  std::optional<kernel::IpAddress> via;
  if (gateway->kind == config::Gateway::Kind::kAddress) {
    via = KernelAddress(family, gateway->address.bytes);
  } else if (gateway->kind == config::Gateway::Kind::kAuto) {
    UXC_ASSIGN_OR_RETURN(via, AutoGateway(nic, family, bridge_addresses));
  }
  // "dev": the default route goes out of the nic, with no gateway.
  Status added = inside.AddRoute(any, 0, via, index);
  if (!added.ok()) return Annotate(added.take_error(), nic.key() + ": the default route");
  log::Debug("network", nic.key() + ": default route" + (via ? " via " + Text(*via) : " on the link"));
  return OkStatus();
}

Status AddAddresses(kernel::Rtnetlink& inside, const NicPlan& nic, int index) {
  for (const std::vector<config::IpAddress>* list : {&nic.ipv4, &nic.ipv6}) {
    for (const config::IpAddress& address : *list) {
      std::optional<kernel::IpAddress> broadcast;
      if (address.has_broadcast) broadcast = KernelAddress(AF_INET, address.broadcast);
      Status added = inside.AddAddress(index, KernelAddress(address.family, address.bytes),
                                       static_cast<uint8_t>(address.prefix), broadcast);
      if (!added.ok()) return Annotate(added.take_error(), nic.key());
    }
  }
  return OkStatus();
}

// The bridge's addresses, read only when a gateway is "auto".
Result<std::vector<kernel::AddressInfo>> BridgeAddresses(const NicPlan& nic) {
  auto is_auto = [](const std::optional<config::Gateway>& gateway) {
    return gateway && gateway->kind == config::Gateway::Kind::kAuto;
  };
  if (!is_auto(nic.ipv4_gateway) && !is_auto(nic.ipv6_gateway)) return std::vector<kernel::AddressInfo>();
  UXC_ASSIGN_OR_RETURN(kernel::Rtnetlink host, kernel::Rtnetlink::Open());
  UXC_ASSIGN_OR_RETURN(kernel::LinkInfo bridge, host.Link(nic.link));
  return host.Addresses(AF_UNSPEC, bridge.index);
}

}  // namespace

Result<AttachedNic> ParseUserNicOutput(const std::string& output) {
  std::string_view line = output;
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.remove_suffix(1);
  std::vector<std::string_view> fields = config::Split(line, ':');
  Error bad = PlainError("uxc-user-nic printed \"" + std::string(line) +
                         "\", not <container-nic>:<ifindex>:<host-nic>:<ifindex>");
  if (fields.size() != 4 || fields[0].empty() || fields[2].empty()) return bad;
  auto container_index = ParseIndex(fields[1]);
  auto host_index = ParseIndex(fields[3]);
  if (!container_index.ok() || !host_index.ok()) return bad;
  return AttachedNic{std::string(fields[0]), *container_index, std::string(fields[2]), *host_index};
}

Status ConfigureNic(kernel::Rtnetlink& inside, const NicPlan& nic, int index,
                    const std::vector<kernel::AddressInfo>& bridge_addresses) {
  auto in_nic = [&](Status status) { return status.ok() ? OkStatus() : Status(Annotate(status.take_error(), nic.key())); };
  if (nic.hwaddr) UXC_RETURN_IF_ERROR(in_nic(inside.SetHardwareAddress(index, *nic.hwaddr)));
  if (nic.mtu != 0) UXC_RETURN_IF_ERROR(in_nic(inside.SetMtu(index, nic.mtu)));
  // Up before the addresses and routes: a route through a gateway needs
  // the link's connected route, which exists only while it is up.
  if (nic.up) UXC_RETURN_IF_ERROR(in_nic(inside.SetUp(index)));
  UXC_RETURN_IF_ERROR(AddAddresses(inside, nic, index));
  UXC_RETURN_IF_ERROR(AddGateway(inside, nic, index, AF_INET, nic.ipv4_gateway, bridge_addresses));
  return AddGateway(inside, nic, index, AF_INET6, nic.ipv6_gateway, bridge_addresses);
}

Status GiveNics(const NetworkPlan& plan, NicAttacher& attacher, const UniqueFd& netns, UniqueFd netlink) {
  kernel::Rtnetlink inside = kernel::Rtnetlink::Adopt(std::move(netlink));
  for (const NicPlan& nic : plan.nics) {
    UXC_ASSIGN_OR_RETURN(std::vector<kernel::AddressInfo> bridge_addresses, BridgeAddresses(nic));
    UXC_ASSIGN_OR_RETURN(AttachedNic attached, attacher.Attach(nic, netns.get()));
    log::Debug("network", nic.key() + ": " + attached.container_name + " in the container, " + attached.host_name +
                              " on " + nic.link);
    UXC_RETURN_IF_ERROR(ConfigureNic(inside, nic, attached.container_index, bridge_addresses));
  }
  return OkStatus();
}

}  // namespace uxc::launcher

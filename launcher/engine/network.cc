#include "launcher/engine/network.h"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <cstring>

#include "base/unique_fd.h"
#include "launcher/engine/config_keys.h"

namespace uxc::launcher {
namespace {

// The veth keys work now; nothing of the network is limited by this build.
constexpr std::span<const config::BuildLimit> kNoLimits = {};

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

// A typed value of `key`, parsed again: the loader checked it already.
template <typename T>
Result<std::optional<T>> Optional(const config::ContainerConfig& config, const std::string& key,
                                  Result<T> (*parse)(std::string_view, int), int family) {
  std::optional<std::string> value = config.Get(key);
  if (!value) return std::optional<T>();
  Result<T> parsed = parse(*value, family);
  if (!parsed.ok()) return KeyError(config, key, parsed.take_error());
  return std::optional<T>(std::move(*parsed));
}

Result<std::vector<config::IpAddress>> Addresses(const config::ContainerConfig& config, const std::string& key,
                                                 int family) {
  std::vector<config::IpAddress> addresses;
  for (const std::string& value : config.GetList(key)) {
    auto address = config::ParseIpAddress(value, family);
    if (!address.ok()) return KeyError(config, key, address.take_error());
    addresses.push_back(*address);
  }
  return addresses;
}

Result<NicPlan> PlanVeth(const config::ContainerConfig& config, int index, std::vector<std::string>* notes) {
  NicPlan nic;
  nic.index = index;
  const std::string prefix = nic.key() + ".";
  nic.link = config.GetOr(prefix + "link", "none");
  nic.name = config.GetOr(prefix + "name", "");
  if (std::optional<std::string> hwaddr = config.Get(prefix + "hwaddr")) {
    auto pattern = config::ParseHwAddr(*hwaddr);
    if (!pattern.ok()) return KeyError(config, prefix + "hwaddr", pattern.take_error());
    nic.hwaddr = CompleteHwAddr(pattern->pattern);
  }
  nic.up = config.GetOr(prefix + "flags", "") == "up";
  UXC_ASSIGN_OR_RETURN(long long mtu, GetInteger(config, prefix + "mtu", 0, 0, 65535));
  nic.mtu = static_cast<uint32_t>(mtu);
  UXC_ASSIGN_OR_RETURN(nic.ipv4, Addresses(config, prefix + "ipv4.address", AF_INET));
  UXC_ASSIGN_OR_RETURN(nic.ipv6, Addresses(config, prefix + "ipv6.address", AF_INET6));
  UXC_ASSIGN_OR_RETURN(nic.ipv4_gateway, Optional(config, prefix + "ipv4.gateway", config::ParseGateway, AF_INET));
  UXC_ASSIGN_OR_RETURN(nic.ipv6_gateway, Optional(config, prefix + "ipv6.gateway", config::ParseGateway, AF_INET6));
  for (const char* family : {"ipv4", "ipv6"}) {
    std::optional<config::Gateway>& gateway = family[3] == '4' ? nic.ipv4_gateway : nic.ipv6_gateway;
    if (gateway && gateway->kind == config::Gateway::Kind::kAuto && nic.link == "none") {
      return KeyError(config, prefix + family + ".gateway",
                      "auto takes the address of the bridge, but " + nic.key() +
                          " has no link; set lxc.net.N.link or give the gateway's address");
    }
    if (gateway && !nic.up) {
      // LXC adds a gateway only to an interface it brings up.
      notes->push_back("note: " + config::WhereSet(config, prefix + family + ".gateway") + " is not set: " + nic.key() +
                       " stays down (no lxc.net.N.flags = up)");
      gateway.reset();
    }
  }
  nic.script_up = config.GetOr(prefix + "script.up", "");
  nic.script_down = config.GetOr(prefix + "script.down", "");
  return nic;
}

}  // namespace

std::span<const config::BuildLimit> NetworkBuildLimits() { return kNoLimits; }

std::array<uint8_t, 6> CompleteHwAddr(const std::string& pattern) {
  uint8_t random[12] = {};
  if (getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random)) {
    for (size_t i = 0; i < sizeof random; ++i) random[i] = static_cast<uint8_t>(i * 37 + 11);
  }
  std::array<uint8_t, 6> address{};
  for (size_t octet = 0; octet < 6; ++octet) {
    int digits[2];
    for (size_t d = 0; d < 2; ++d) {
      char c = pattern[octet * 3 + d];
      digits[d] = c == 'x' ? random[octet * 2 + d] & 0x0f : HexValue(c);
    }
    address[octet] = static_cast<uint8_t>(digits[0] << 4 | digits[1]);
  }
  // Bit 0 of the first octet marks multicast (ParseHwAddr refuses it when
  // written out).
  if (pattern[1] == 'x') address[0] &= 0xfe;
  return address;
}

Result<NetworkPlan> PlanNetwork(const config::ContainerConfig& config, std::vector<std::string>* notes) {
  NetworkPlan plan;
  bool has_none = false;
  bool has_other = false;
  for (int index : config.NetIndices()) {
    std::string key = "lxc.net." + std::to_string(index) + ".type";
    std::string type = config.GetOr(key, "");
    if (type == "none") {
      has_none = true;
    } else if (type == "empty" || type.empty()) {
      has_other = true;
    } else if (type == "veth") {
      has_other = true;
      UXC_ASSIGN_OR_RETURN(NicPlan nic, PlanVeth(config, index, notes));
      plan.nics.push_back(std::move(nic));
    } else {
      return KeyError(config, key,
                      "a " + type +
                          " interface can only be created or moved into the container by root; an "
                          "unprivileged container can use veth (through uxc-user-nic), empty or none");
    }
  }
  if (has_none && has_other) {
    return PlainError(
        "lxc.net: type none shares the host's network and cannot be combined "
        "with other interfaces; keep only lxc.net.0.type = none");
  }
  plan.share_host = has_none;
  return plan;
}

int BringUpLoopback(ChildReport* report) {
  UniqueFd socket_fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!socket_fd) return Fail(report, errno, "open a socket to bring up lo");
  ifreq request{};
  strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(socket_fd.get(), SIOCGIFFLAGS, &request) != 0)
    return Fail(report, errno, "read the flags of lo");
  request.ifr_flags |= IFF_UP;
  if (ioctl(socket_fd.get(), SIOCSIFFLAGS, &request) != 0)
    return Fail(report, errno, "bring up lo");
  return 0;
}

}  // namespace uxc::launcher

#include "launcher/engine/network.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "base/unique_fd.h"
#include "launcher/engine/config_keys.h"

namespace uxc::launcher {
namespace {

// Not in this build: a veth interface, which needs the uxc-user-nic helper.
constexpr std::string_view kVethRefused =
    "veth networking needs the uxc-user-nic helper, which this uxc does not have yet; use type "
    "empty (loopback only) or none (the host's network)";
constexpr std::string_view kIgnoredVeth =
    "ignored: it configures a veth interface, which this uxc cannot create yet (it has no "
    "uxc-user-nic helper); only empty and none interfaces start";

std::string VethTypeLimit(std::string_view, std::string_view value) {
  if (value != "veth") return "";
  return "ignored: this uxc has no uxc-user-nic helper yet to create a veth interface, so a start "
         "with one is refused; use empty (loopback only) or none (the host's network)";
}

constexpr config::BuildLimit kVethLimits[] = {
    {"lxc.net.N.type", {}, VethTypeLimit},
    {"lxc.net.N.link", kIgnoredVeth},
    {"lxc.net.N.name", kIgnoredVeth},
    {"lxc.net.N.hwaddr", kIgnoredVeth},
    {"lxc.net.N.ipv4.address", kIgnoredVeth},
    {"lxc.net.N.ipv4.gateway", kIgnoredVeth},
    {"lxc.net.N.ipv6.address", kIgnoredVeth},
    {"lxc.net.N.ipv6.gateway", kIgnoredVeth},
    {"lxc.net.N.script.up", kIgnoredVeth},
    {"lxc.net.N.script.down", kIgnoredVeth},
    {"lxc.net.N.veth.mode", kIgnoredVeth},
};

}  // namespace

std::span<const config::BuildLimit> NetworkBuildLimits() { return kVethLimits; }

Result<NetworkPlan> PlanNetwork(const config::ContainerConfig& config) {
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
      return KeyError(config, key, std::string(kVethRefused));
    } else {
      return KeyError(config, key,
                      "networks of type " + type +
                          " need root on the host; an unprivileged container can use empty or "
                          "none (and veth through a helper)");
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

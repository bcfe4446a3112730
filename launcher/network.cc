#include "launcher/network.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "base/unique_fd.h"
#include "launcher/config_keys.h"

namespace uxc::launcher {

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
      return KeyError(config, key,
                      "veth networking needs the uxc-user-nic helper, which this uxc does not "
                      "have yet; use type empty (loopback only) or none (the host's network)");
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

// The nic concern of a start: the veth pairs uxc-user-nic makes
// (docs/usernet.md). Each is written to the acquired record as an intent
// before the helper runs and confirmed after with the host end's name;
// lxc.net.N.script.up runs then. The release runs lxc.net.N.script.down and
// `uxc-user-nic delete`, from the record: at the stop, after the monitor
// was killed, and at the next start after a crash.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/engine/host_plan.h"
#include "launcher/engine/nic_setup.h"
#include "launcher/lifecycle/acquired_log.h"
#include "launcher/lifecycle/container_usage.h"
#include "launcher/lifecycle/host_concerns.h"

namespace uxc::lifecycle {

class RecordedNics : public launcher::NicAttacher {
 public:
  // `helper`: the uxc-user-nic found for this start; `name`: the
  // container's (the helper's <name>, unused, as in LXC).
  RecordedNics(const launcher::HostPlan& host, const launcher::NetworkPlan& network, AcquiredLog& record,
               std::string helper, std::string name)
      : host_(host), network_(network), record_(record), helper_(std::move(helper)), name_(std::move(name)) {}

  Result<launcher::AttachedNic> Attach(const launcher::NicPlan& nic, int netns_fd) override;

 private:
  const launcher::NicScripts* ScriptsOf(const launcher::NicPlan& nic) const;

  const launcher::HostPlan& host_;
  const launcher::NetworkPlan& network_;
  AcquiredLog& record_;
  std::string helper_;
  std::string name_;
};

// The release of one kNic entry.
Status ReleaseNic(const AcquiredEntry& entry, StopContext& stop);

// The host end of a running container's nic, as lxc-info shows it.
struct HostLink {
  std::string name;           // the host end, "veth1000_a1B2"
  std::string container_nic;  // its peer in the container, "eth0"
  uint64_t tx_bytes = 0;      // sent by the host end (received by the container)
  uint64_t rx_bytes = 0;
};
// The confirmed nics of the record in `runtime_dir`, with the host end's
// counters read over netlink in this process's namespace; a host end not
// found here (uxc runs in another namespace) gets its peer's counters,
// swapped, from `inside` (the container's /proc/PID/net/dev).
std::vector<HostLink> HostLinks(const std::string& runtime_dir, const std::vector<Interface>& inside);

}  // namespace uxc::lifecycle

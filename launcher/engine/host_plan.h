// What the host needs of a start, planned with the child's part
// (start_plan.h) from the same config, once: the hooks the parent runs, the
// monitor's settings, the console log. After PlanHost nothing reads the
// config again but a reboot's new start. The stop and post-stop hooks go
// into the container's acquired record (lifecycle/acquired_record.h) and
// run from there.
#pragma once

#include <cstddef>
#include <optional>

#include "base/error.h"
#include "config/container_config.h"
#include "launcher/engine/cgroup_plan.h"
#include "launcher/engine/console_log_config.h"
#include "launcher/engine/security/hooks.h"
#include "launcher/engine/start_plan.h"

namespace uxc::launcher {

// What the monitor (or the foreground launcher) does while the init runs.
struct MonitorSettings {
  int halt_signal = SIGPWR;   // lxc.signal.halt; SIGRTMIN+3 for systemd
  int reboot_signal = SIGINT;  // lxc.signal.reboot
  int stop_signal = SIGKILL;  // lxc.signal.stop
  size_t ring_size = kDefaultConsoleBufferSize;  // lxc.console.buffer.size
};

struct NicScripts {
  security::StopHooks up;
  security::StopHooks down;
};

struct HostPlan {
  security::PreparedHooks pre_start_hooks;
  security::StopHooks stop_hooks;       // lxc.hook.stop
  security::StopHooks post_stop_hooks;  // lxc.hook.post-stop
  MonitorSettings monitor;
  // lxc.console.logfile; none when unset.
  std::optional<ConsoleLogSettings> console_log;
  // The container's cgroup: where, and its limits.
  CgroupPlan cgroup;
  // lxc.net.N.script.up and .down of each veth nic, in the order of the
  // child's network.nics; empty values when unset.
  std::vector<NicScripts> nic_scripts;
};

// `child` is the plan PlanStart made from `config`: the hooks get its
// environment.
Result<HostPlan> PlanHost(const config::ContainerConfig& config, const StartPlan& child);

}  // namespace uxc::launcher

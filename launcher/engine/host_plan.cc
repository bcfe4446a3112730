#include "launcher/engine/host_plan.h"

#include "config/values.h"
#include "launcher/engine/config_keys.h"

namespace uxc::launcher {
namespace {

size_t RingSize(const config::ContainerConfig& config) {
  auto value = config.Get("lxc.console.buffer.size");
  if (!value || *value == "auto") return kDefaultConsoleBufferSize;
  auto parsed = config::ParseSize(*value);
  return parsed.ok() ? static_cast<size_t>(*parsed) : kDefaultConsoleBufferSize;
}

// A systemd init halts on SIGRTMIN+3 (systemd(1)); SIGPWR would only
// start its sigpwr.target. LXC sends SIGRTMIN+3 to an init that blocks it.
MonitorSettings PlanMonitor(const config::ContainerConfig& config, const StartPlan& child) {
  MonitorSettings monitor;
  monitor.halt_signal = SignalOr(config, "lxc.signal.halt", child.systemd_init ? SIGRTMIN + 3 : SIGPWR);
  monitor.reboot_signal = SignalOr(config, "lxc.signal.reboot", SIGINT);
  monitor.stop_signal = SignalOr(config, "lxc.signal.stop", SIGKILL);
  monitor.ring_size = RingSize(config);
  return monitor;
}

Result<security::StopHooks> NetScript(const config::ContainerConfig& config, const std::string& script,
                                      std::string_view action, const NicPlan& nic,
                                      const security::HookEnvironment& environment) {
  if (script.empty()) {
    security::StopHooks none;
    none.type = security::HookType::kNetScript;
    return none;
  }
  return security::PrepareNetScript(config, script, action, nic.link, environment);
}

}  // namespace

Result<HostPlan> PlanHost(const config::ContainerConfig& config, const StartPlan& child) {
  HostPlan host;
  const security::HookEnvironment& environment = child.hook_environment;
  UXC_ASSIGN_OR_RETURN(host.pre_start_hooks, security::PrepareHooks(config, security::HookType::kPreStart, environment));
  UXC_ASSIGN_OR_RETURN(host.stop_hooks, security::PrepareStopHooks(config, security::HookType::kStop, environment));
  UXC_ASSIGN_OR_RETURN(host.post_stop_hooks,
                       security::PrepareStopHooks(config, security::HookType::kPostStop, environment));
  for (const NicPlan& nic : child.network.nics) {
    NicScripts scripts;
    UXC_ASSIGN_OR_RETURN(scripts.up, NetScript(config, nic.script_up, "up", nic, environment));
    UXC_ASSIGN_OR_RETURN(scripts.down, NetScript(config, nic.script_down, "down", nic, environment));
    host.nic_scripts.push_back(std::move(scripts));
  }
  host.monitor = PlanMonitor(config, child);
  host.console_log = ConsoleLogSettingsFrom(config);
  UXC_ASSIGN_OR_RETURN(host.cgroup, PlanCgroup(config, environment.name));
  return host;
}

}  // namespace uxc::launcher

#include "launcher/cli/detached_start.h"

#include <cstdio>

#include "launcher/build_limits.h"
#include "launcher/cli/monitor_end.h"
#include "launcher/environment.h"
#include "launcher/subordinate_ids.h"

namespace uxc::cli {
namespace {

// `uxc __monitor-end` as uxc-monitor will exec it, without the target and
// fds it adds.
std::vector<std::string> EndCommand(const std::string& uxc, const lifecycle::ContainerRef& ref,
                                    const std::vector<std::string>& overrides) {
  std::string container_path = ref.container_dir.substr(0, ref.container_dir.size() - ref.name.size() - 1);
  std::vector<std::string> command = {uxc, kMonitorEndCommand, "-P", container_path, "-f", ref.config_file};
  for (const std::string& override : overrides) {
    command.push_back("-s");
    command.push_back(override);
  }
  command.push_back(ref.name);
  return command;
}

}  // namespace

Result<std::unique_ptr<DetachedStart>> PrepareDetachedStart(const lifecycle::ContainerRef& ref,
                                                    std::vector<std::string> overrides) {
  config::LoadRequest load = config::StandardLayers(ref.config_file);
  load.overrides = overrides;
  load.build_limits = launcher::BuildLimits();
  auto config = config::LoadContainerConfig(load);
  if (!config.ok()) return config.take_error();
  for (const config::Warning& warning : config->warnings()) {
    std::fprintf(stderr, "uxc start: warning: %s\n", warning.ToString().c_str());
  }
  launcher::StartRequest request;
  request.name = ref.name;
  request.config_file = ref.config_file;
  request.system_init = true;
  request.caller = launcher::CurrentCaller();
  request.caller_env = launcher::CallerEnvironment();
  if (config->GetList("lxc.idmap").empty()) {
    auto maps = launcher::DefaultIdMapFromHost(request.caller);
    if (!maps.ok()) return maps.take_error();
    request.default_maps = std::move(*maps);
  }
  auto plan = launcher::PlanStart(*config, request);
  if (!plan.ok()) return plan.take_error();
  for (const std::string& note : plan->notes) std::fprintf(stderr, "uxc start: %s\n", note.c_str());
  return std::make_unique<DetachedStart>(
      DetachedStart{std::move(*config), std::move(*plan), request.caller, std::move(overrides)});
}

Result<lifecycle::MonitorRequest> MonitorRequestFor(const lifecycle::ContainerRef& ref, const DetachedStart& start,
                                                    const config::ToolSettings& settings) {
  auto uxc = lifecycle::UxcBinary();
  if (!uxc.ok()) return uxc.take_error();
  auto binary = lifecycle::MonitorBinary();
  if (!binary.ok()) return binary.take_error();
  lifecycle::MonitorRequest monitor;
  monitor.name = ref.name;
  monitor.config_file = ref.config_file;
  monitor.paths = ref.paths;
  monitor.config = &start.config;
  monitor.plan = &start.plan;
  monitor.caller = start.caller;
  monitor.helpers = {settings.newuidmap, settings.newgidmap};
  monitor.monitor_binary = std::move(*binary);
  monitor.end_command = EndCommand(*uxc, ref, start.overrides);
  return monitor;
}

}  // namespace uxc::cli

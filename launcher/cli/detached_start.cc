#include "launcher/cli/detached_start.h"

#include "launcher/cli/monitor_end.h"
#include "launcher/engine/log.h"

namespace uxc::cli {
namespace {

// `uxc __monitor-end` as uxc-monitor will exec it, without the target and
// fds it adds: the overrides for a restart, and the log the end writes to.
std::vector<std::string> EndCommand(const std::string& uxc, const lifecycle::ContainerRef& ref,
                                    const DetachedStart& start) {
  std::string container_path = ref.container_dir.substr(0, ref.container_dir.size() - ref.name.size() - 1);
  std::vector<std::string> command = {uxc, kMonitorEndCommand, "-P", container_path, "-f", ref.config_file};
  for (const std::string& override : start.overrides) {
    command.push_back("-s");
    command.push_back(override);
  }
  const log::LogPlan& log = start.prepared->child.log;
  if (!log.file.empty()) {
    command.insert(command.end(), {"--log-file", log.file, "--log-level", log::LevelName(log.level)});
    if (!log.rootfs.empty()) command.insert(command.end(), {"--log-rootfs", log.rootfs});
  }
  command.push_back(ref.name);
  return command;
}

}  // namespace

Result<DetachedStart> PrepareDetachedStart(const lifecycle::ContainerRef& ref, std::vector<std::string> overrides,
                                           const config::ToolSettings& settings) {
  lifecycle::StartInput input;
  input.load = config::StandardLayers(ref.config_file);
  input.load.overrides = overrides;
  input.request.name = ref.name;
  input.request.config_file = ref.config_file;
  input.request.system_init = true;
  input.command_name = "start";
  UXC_ASSIGN_OR_RETURN(std::unique_ptr<lifecycle::PreparedStart> prepared,
                       lifecycle::PrepareStart(std::move(input), settings));
  return DetachedStart{std::move(prepared), std::move(overrides)};
}

Result<lifecycle::MonitorRequest> MonitorRequestFor(const lifecycle::ContainerRef& ref, const DetachedStart& start) {
  UXC_ASSIGN_OR_RETURN(std::string uxc, lifecycle::UxcBinary());
  UXC_ASSIGN_OR_RETURN(std::string binary, lifecycle::MonitorBinary());
  lifecycle::MonitorRequest monitor;
  monitor.name = ref.name;
  monitor.config_file = ref.config_file;
  monitor.paths = ref.paths;
  monitor.start = start.prepared.get();
  monitor.monitor_binary = std::move(binary);
  monitor.end_command = EndCommand(uxc, ref, start);
  return monitor;
}

}  // namespace uxc::cli

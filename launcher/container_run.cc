#include "launcher/container_run.h"

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>

#include "config/values.h"
#include "launcher/build_limits.h"
#include "launcher/environment.h"
#include "launcher/idmap.h"
#include "launcher/start.h"
#include "launcher/subordinate_ids.h"

namespace uxc::launcher {
namespace {

// The maps PlanStart will choose; nullopt when lxc.idmap is wrong (PlanStart
// says how).
std::optional<IdMapPlan> MapsAhead(const config::ContainerConfig& config, const IdMapPlan& default_maps) {
  std::vector<std::string> lines = config.GetList("lxc.idmap");
  if (lines.empty()) return default_maps;
  auto mappings = config::ParseIdMappings(lines);
  if (!mappings.ok()) return std::nullopt;
  return PlanFromMappings(*mappings);
}

}  // namespace

Result<int> RunContainer(ContainerRun run, const config::ToolSettings& settings) {
  run.load.build_limits = BuildLimits();
  auto loaded = config::LoadContainerConfig(run.load);
  if (!loaded.ok()) return loaded.take_error();
  const config::ContainerConfig& config = *loaded;
  for (const config::Warning& warning : config.warnings()) {
    std::fprintf(stderr, "uxc %s: warning: %s\n", run.command_name.c_str(),
                 warning.ToString().c_str());
  }

  StartRequest& request = run.start;
  request.caller = CurrentCaller();
  request.caller_env = CallerEnvironment();
  request.stdin_is_tty = isatty(STDIN_FILENO) == 1;
  request.terminal = PlanTerminal();
  if (config.GetList("lxc.idmap").empty()) {
    auto maps = DefaultIdMapFromHost(request.caller);
    if (!maps.ok()) return maps.take_error();
    request.default_maps = std::move(*maps);
  }
  // uxc-newidmap starts now: its exec and checks overlap the planning and
  // the clone instead of following them (bench/README.md).
  HelperSettings helpers{settings.newuidmap, settings.newgidmap};
  std::unique_ptr<EarlyIdMapHelper> early;
  if (std::optional<IdMapPlan> maps = MapsAhead(config, request.default_maps)) {
    early = EarlyIdMapHelper::Start(*maps, request.caller, helpers);
    helpers.early = early.get();
  }
  auto plan = PlanStart(config, request);
  if (!plan.ok()) return plan.take_error();
  for (const std::string& note : plan->notes) {
    std::fprintf(stderr, "uxc %s: %s\n", run.command_name.c_str(), note.c_str());
  }
  return RunInForeground(config, *plan, request.caller, helpers, run.callbacks);
}

}  // namespace uxc::launcher

// What a detached start (uxc start) and the monitor's restart after a reboot
// (monitor_end.h) share: the config loaded and the start planned, and the
// request that makes the monitor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "config/tool_settings.h"
#include "launcher/idmap.h"
#include "launcher/lifecycle/container_status.h"
#include "launcher/lifecycle/monitor.h"
#include "launcher/start_plan.h"

namespace uxc::cli {

// The config and plan of a detached start; the monitor request points into it.
struct DetachedStart {
  config::ContainerConfig config;
  launcher::StartPlan plan;
  launcher::Caller caller;
  std::vector<std::string> overrides;  // -s KEY=VALUE, for the restart
};

// Loads the config (the standard layers, then `overrides`) and plans the
// start; warnings and the plan's notes go to stderr.
Result<std::unique_ptr<DetachedStart>> PrepareDetachedStart(const lifecycle::ContainerRef& ref,
                                                            std::vector<std::string> overrides);

// The monitor of `start`: uxc-monitor beside this uxc, and the `uxc
// __monitor-end` command it execs when the init exits.
Result<lifecycle::MonitorRequest> MonitorRequestFor(const lifecycle::ContainerRef& ref, const DetachedStart& start,
                                                    const config::ToolSettings& settings);

}  // namespace uxc::cli

// What a detached start (uxc start) and the monitor's restart after a reboot
// (monitor_end.h) share: the start prepared (lifecycle/start_api.h), and the
// request that makes the monitor.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/tool_settings.h"
#include "launcher/lifecycle/container_status.h"
#include "launcher/lifecycle/monitor.h"
#include "launcher/lifecycle/start_api.h"

namespace uxc::cli {

struct DetachedStart {
  std::unique_ptr<lifecycle::PreparedStart> prepared;
  std::vector<std::string> overrides;  // -s KEY=VALUE, for the restart
};

// Loads the config (the standard layers, then `overrides`) and plans the
// start; warnings and the plan's notes go to stderr.
Result<DetachedStart> PrepareDetachedStart(const lifecycle::ContainerRef& ref, std::vector<std::string> overrides,
                                           const config::ToolSettings& settings);

// The monitor of `start`: uxc-monitor beside this uxc, and the `uxc
// __monitor-end` command it execs when the init exits.
Result<lifecycle::MonitorRequest> MonitorRequestFor(const lifecycle::ContainerRef& ref, const DetachedStart& start);

}  // namespace uxc::cli

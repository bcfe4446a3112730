// The shared body of `uxc execute` and `uxc run`: load the config layers,
// plan the start (every user error is found here, before anything is
// created), say the plan's notes, run the container in the foreground.
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "config/tool_settings.h"
#include "launcher/start.h"
#include "launcher/start_plan.h"

namespace uxc::launcher {

struct ContainerRun {
  config::LoadRequest load;
  // name, config_file, command, ephemeral, default_mount_auto; the rest
  // (caller, environment, default maps) is filled in by RunContainer.
  StartRequest start;
  std::string command_name;  // "execute", for the notes' prefix
  // What the caller adds to the run (start.h): a state file, a control socket.
  ForegroundCallbacks callbacks;
};

// Returns the payload's exit status (128 + signal when killed).
Result<int> RunContainer(ContainerRun run, const config::ToolSettings& settings);

}  // namespace uxc::launcher

// A start whose launcher waits for it in the foreground (uxc execute, uxc
// run, uxc start -F), through the start API (start_api.h): the concerns'
// slots and the pre-start hooks, the start, the wait with signals forwarded
// and the console copied to stdout (for a system container whose init is on
// the console, the user's terminal relayed to the console), then the
// release from the record (release.h), as the monitor's end does it.
#pragma once

#include <sys/types.h>

#include <signal.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "config/tool_settings.h"
#include "launcher/lifecycle/acquired_log.h"
#include "launcher/lifecycle/start_api.h"

namespace uxc::lifecycle {

// How a foreground run's init ended, for its caller.
struct ForegroundExit {
  siginfo_t info = {};
  int64_t ran_ms = 0;
  std::string console;  // the console's last output (last_exit.h)
  bool stop_requested = false;  // `uxc stop` asked for it
  // The control socket's connections: to close once the container is
  // released (its runtime files gone, its lock free), so that a waiting
  // `uxc stop` learns of the end from EOF.
  std::vector<UniqueFd> connections;
};

// What the caller of a foreground run (uxc execute, uxc start -F) adds.
struct ForegroundCallbacks {
  // Once the init runs: a listening control socket to answer while it runs
  // (foreground_control.h), or none.
  std::function<UniqueFd()> control_socket;
  // Then, with the init's pid (e.g. to write a state file).
  std::function<void(pid_t)> on_running;
  // Once the init exited and the container was released.
  std::function<void(ForegroundExit)> on_exit;
};

// Returns the payload's exit status (128 + signal).
Result<int> RunInForeground(const PreparedStart& start, AcquiredLog& record,
                            const ForegroundCallbacks& callbacks = {});

// The whole of uxc execute and uxc run: prepare, then run in the
// foreground; a container with a name keeps its record in its runtime dir,
// where the next command finds it should this launcher be killed.
struct ContainerRun {
  StartInput input;
  ForegroundCallbacks callbacks;
};

Result<int> RunContainer(ContainerRun run, const config::ToolSettings& settings);

}  // namespace uxc::lifecycle

// The per-container monitor of a detached start: a process forked by
// `uxc start` that starts the container, then holds the init (its pidfd; the
// init dies with it, PR_SET_PDEATHSIG), the ptys' multiplexer sides, the
// console ring buffer (lxc.console.buffer.size) and log
// (lxc.console.logfile), the container lock, and answers the control socket.
// When the init exits it runs the stop and post-stop hooks, removes the state
// file and the socket, and exits.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.h"
#include "config/container_config.h"
#include "launcher/idmap.h"
#include "launcher/lifecycle/runtime_dir.h"
#include "launcher/start_plan.h"
#include "launcher/templates/container_lock.h"

namespace uxc::lifecycle {

struct MonitorRequest {
  std::string name;
  std::string config_file;
  RuntimePaths paths;
  const config::ContainerConfig* config = nullptr;
  const launcher::StartPlan* plan = nullptr;
  launcher::Caller caller;
  launcher::HelperSettings helpers;
};

// Forks the monitor and waits until it reports: returns the monitor's pid
// once the container runs and the socket answers, or the start's error. The
// monitor inherits `lock` and holds it until it exits.
Result<pid_t> LaunchMonitor(const MonitorRequest& request, templates::ContainerLock lock);

// The environment variable tests set to make the monitor die (SIGKILL to
// itself) at a named step of the start: "before-start", "after-start",
// "after-socket".
inline constexpr char kAbortAtEnv[] = "UXC_TEST_ABORT_AT";

}  // namespace uxc::lifecycle

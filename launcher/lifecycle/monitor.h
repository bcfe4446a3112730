// The per-container monitor of a detached start, on uxc's side: a process
// forked by `uxc start` that starts the prepared container (start_api.h:
// the record of what it acquires, the pre-start hooks, the start), writes
// the state file and opens the control socket, then execs
// the small uxc-monitor binary (monitor_main.cc) with what it must hold: the
// init's pidfd (the init dies with the monitor, PR_SET_PDEATHSIG), the ptys'
// multiplexer sides, the console log, the socket and the container lock.
// When the init exits, uxc-monitor execs `uxc __monitor-end`
// (cli/monitor_end.h), which releases the container from its record
// (release.h) and, when the init rebooted, starts it again with
// RestartInPlace.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/lifecycle/runtime_dir.h"
#include "launcher/lifecycle/start_api.h"
#include "launcher/lifecycle/container_lock.h"

namespace uxc::lifecycle {

struct MonitorRequest {
  std::string name;
  std::string config_file;
  RuntimePaths paths;
  const PreparedStart* start = nullptr;
  std::string monitor_binary;             // uxc-monitor's path
  std::vector<std::string> end_command;   // `uxc __monitor-end ...` (monitor_args.h)
};

// The running uxc's path (/proc/self/exe), and uxc-monitor's beside it or
// in its prefix's libexec/uxc (launcher/engine/helper_path.h): they are installed
// together, so the monitor always matches the uxc that starts it. Errors say what is missing and what to do.
Result<std::string> UxcBinary();
Result<std::string> MonitorBinary();

struct MonitorLaunch {
  pid_t monitor = 0;
  // The init exited while the start waited for it to settle; the monitor
  // has released the container and recorded the exit (last_exit.h).
  bool init_exited = false;
};

// Forks the monitor and waits until it reports: once the container runs and
// uxc-monitor serves the socket, and the init has run for a moment; or the
// start's error. The monitor inherits `lock` and holds it until it exits.
Result<MonitorLaunch> LaunchMonitor(const MonitorRequest& request, ContainerLock lock);

// In the monitor's process, after the init rebooted and everything of the
// old container was released: starts the container again and execs
// uxc-monitor, still holding the lock on `lock_fd` and serving `listener`,
// the control socket of the old one. Returns only on failure.
Error RestartInPlace(const MonitorRequest& request, int lock_fd, UniqueFd listener);

// The environment variable tests set to make the monitor die (SIGKILL to
// itself) at a named step of the start: "before-start", "after-start",
// "after-socket", "after-state" (before the exec of uxc-monitor), or of a
// restart after a reboot: "restart".
inline constexpr char kAbortAtEnv[] = "UXC_TEST_ABORT_AT";

}  // namespace uxc::lifecycle

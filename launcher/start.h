// The parent's side of a start (DESIGN.md "Start sequence" steps 3-7):
// clone the init into its namespaces, map its ids, release it, wait until
// it runs the payload; and the foreground run around that, with the host's
// hooks. If any step fails, the init is killed and reaped: its namespaces,
// and every mount made in them, go with it.
#pragma once

#include <sys/types.h>

#include <signal.h>

#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "config/container_config.h"
#include "launcher/clone.h"
#include "launcher/foreground.h"
#include "launcher/idmap.h"
#include "launcher/start_plan.h"

namespace uxc::launcher {

struct StartedContainer {
  ClonedProcess init;
  // The multiplexer sides of the ptys: /dev/console first (when the
  // container has one), then /dev/tty1 .. ttyN.
  std::vector<UniqueFd> ptys;
  // The console's peer, held open by the launcher (console.h).
  UniqueFd console_peer;
  // The multiplexer side of the payload's pty, when it has one (terminal.h).
  UniqueFd terminal;
};

// Returns once the payload's exec succeeded, or the error of the first step
// that failed (the init is gone by then). `signals` must be blocked before.
Result<StartedContainer> StartContainer(const StartPlan& plan, const Caller& caller,
                                        const HelperSettings& helpers,
                                        const ForwardedSignals& signals);

// Opens each namespace of `pid` for the stop hook; the references name the
// fds as /proc/SELF_PID/fd/N, valid while `fds` stay open in this process
// (also across an exec that keeps them, as the monitor's).
std::vector<security::NamespaceReference> OpenNamespaces(pid_t pid, std::vector<UniqueFd>* fds);

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
  // Once the init exited and the stop hooks ran.
  std::function<void(ForegroundExit)> on_exit;
};

// uxc execute / uxc run / uxc start -F: the pre-start hooks, the start, the
// wait with signals forwarded and the console copied to stdout (for a
// system container whose init is on the console, the user's terminal
// relayed to the console), then the stop and post-stop hooks. Returns the
// payload's exit status (128 + signal).
Result<int> RunInForeground(const config::ContainerConfig& config, const StartPlan& plan,
                            const Caller& caller, const HelperSettings& helpers,
                            const ForegroundCallbacks& callbacks = {});

}  // namespace uxc::launcher

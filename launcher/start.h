// The parent's side of a start (DESIGN.md "Start sequence" steps 3-7):
// clone the init into its namespaces, map its ids, release it, wait until
// it runs the payload; and the foreground run around that, with the host's
// hooks. If any step fails, the init is killed and reaped: its namespaces,
// and every mount made in them, go with it.
#pragma once

#include <sys/types.h>

#include <functional>
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

// uxc execute / uxc run: the pre-start hooks, the start, the wait with
// signals forwarded and the console copied to stdout, then the stop and
// post-stop hooks. Returns the payload's exit status (128 + signal).
// `on_running`, when set, is called with the init's pid once it runs.
Result<int> RunInForeground(const config::ContainerConfig& config, const StartPlan& plan,
                            const Caller& caller, const HelperSettings& helpers,
                            const std::function<void(pid_t)>& on_running = nullptr);

}  // namespace uxc::launcher

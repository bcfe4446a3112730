// The parent's side of a start (DESIGN.md "Start sequence" steps 3-6):
// clone the init into its namespaces, map its ids, release it, wait until
// it runs the payload. If any step fails, the init is killed and reaped: its
// namespaces, and every mount made in them, go with it. What the host does
// around it (hooks, the monitor, the record of what it acquired) is the
// start API's (lifecycle/start_api.h).
#pragma once

#include <sys/types.h>

#include <signal.h>

#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "launcher/engine/clone.h"
#include "launcher/engine/foreground.h"
#include "launcher/engine/idmap.h"
#include "launcher/engine/start_plan.h"

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

// The container's own cgroup (the start's cgroup concern makes it): the
// init is cloned into it (CLONE_INTO_CGROUP; on a kernel without it, moved
// by a cgroup.procs write before it goes on, and it then unshares its
// cgroup namespace there), and `placed` runs once it is in, before it goes
// on: the container's root gets the cgroup then, when the launcher no
// longer needs to write its cgroup.procs.
struct InitCgroup {
  int fd = -1;  // none
  std::function<Status()> placed;
};

// Returns once the payload's exec succeeded, or the error of the first step
// that failed (the init is gone by then). `signals` must be blocked before.
Result<StartedContainer> StartContainer(const StartPlan& plan, const Caller& caller,
                                        const HelperSettings& helpers,
                                        const ForwardedSignals& signals, const InitCgroup& cgroup = {});

// Opens each namespace of `pid` for the stop hook; the references name the
// fds as /proc/SELF_PID/fd/N, valid while `fds` stay open in this process
// (also across an exec that keeps them, as the monitor's).
std::vector<security::NamespaceReference> OpenNamespaces(pid_t pid, std::vector<UniqueFd>* fds);

// Kills and reaps the init; its namespaces and mounts vanish with it.
void DiscardInit(const ClonedProcess& init);

}  // namespace uxc::launcher

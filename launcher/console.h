// /dev/console and the lxc.tty.max ttys: ptys of the container's own devpts
// instance, the peer side bind-mounted on /dev/console and /dev/ttyN, the
// multiplexer side handed to the launcher, which holds it (and copies the
// console's output in the foreground commands).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "launcher/child_report.h"
#include "launcher/mount_plan.h"

namespace uxc::launcher {

struct ConsolePlan {
  // One step per pty, /dev/console first (unless lxc.console.path = none),
  // then /dev/tty1 .. /dev/ttyN.
  std::vector<MountStep> targets;
  bool has_console = true;
  int tty_count = 0;
};

// lxc.console.path ("none" for no console; a host path is not supported
// unprivileged) and lxc.tty.max.
Result<ConsolePlan> PlanConsole(const config::ContainerConfig& config);

// Child, after devpts is mounted: allocates one pty per target from the
// container's /dev/pts/ptmx and binds its peer there. Stores the
// multiplexer fds (CLOEXEC) in `ptx_fds` (room for targets.size()).
int SetUpConsoles(int root_fd, const ConsolePlan& plan, int* ptx_fds, ChildReport* report);

}  // namespace uxc::launcher

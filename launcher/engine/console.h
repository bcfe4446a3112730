// /dev/console and the lxc.tty.max ttys: ptys of the container's own devpts
// instance (container_pty.h), the peer side bind-mounted on /dev/console
// and /dev/ttyN, the multiplexer side handed to the launcher, which holds it
// (and copies the console's output in the foreground commands).
//
// lxc.tty.dir = DIR lays them out as LXC does (conf.c, lxc_setup_ttys and
// lxc_setup_ttydir_console): the ptys on /dev/DIR/console and /dev/DIR/ttyN,
// the console bound on /dev/console too, and /dev/ttyN a symlink to
// DIR/ttyN. Each pty is bound where it belongs, so nothing is moved: LXC's
// userns.conf turns the key off because LXC once moved those mounts, which
// a user namespace forbids.
#pragma once

#include <sys/ioctl.h>

#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "config/keys.h"
#include "launcher/engine/child_report.h"
#include "launcher/engine/mount_plan.h"

namespace uxc::launcher {

struct ConsolePlan {
  // One step per pty, the console first (unless lxc.console.path = none),
  // then tty1 .. ttyN; under /dev, or under /dev/DIR with lxc.tty.dir.
  std::vector<MountStep> targets;
  bool has_console = true;
  int tty_count = 0;
  // lxc.tty.dir ("" when unset) and what it adds: a bind of the console on
  // /dev/console (none without a console), and the symlinks /dev/ttyN ->
  // DIR/ttyN (kSymlink steps, which replace what is at /dev/ttyN).
  std::string tty_dir;
  std::vector<MountStep> console_alias;
  std::vector<MountStep> tty_links;

  // The fds SetUpConsoles hands over: one per target, then the console's
  // peer when there is a console.
  int fd_count() const { return static_cast<int>(targets.size()) + (has_console ? 1 : 0); }
};

// lxc.console.path ("none" for no console; a host path is not supported
// unprivileged), lxc.tty.max and lxc.tty.dir. `console_by_default`: whether
// a container whose config leaves lxc.console.path unset gets a console
// (uxc execute does, as LXC; uxc run, whose command has the caller's stdio,
// does not).
Result<ConsolePlan> PlanConsole(const config::ContainerConfig& config, bool console_by_default);

// What this build cannot do yet with lxc.console.path (config/keys.h).
std::span<const config::BuildLimit> ConsoleBuildLimits();

// Child, after devpts is mounted: allocates one pty per target from the
// container's devpts and binds its peer there, then makes the console alias
// and the tty links. Stores the multiplexer fds (CLOEXEC) in `fds`, then
// the console's peer: the launcher holds it open, so the console does not
// hang up whenever no process in the container has it open, and output
// written before the container exits is still delivered once the launcher
// closes it (pty(7), n_tty flushes before it reports EIO). `fds` has room
// for plan.fd_count().
int SetUpConsoles(int root_fd, const ConsolePlan& plan, int* fds, ChildReport* report);

// Child: puts the console's `peer` on fds 0-2 for a system container's init,
// as LXC does (start.c), so that what the init and its early scripts print
// reaches the console (and its log). It is not made the controlling
// terminal: the init, or a getty it starts, takes the console as it sees fit.
// A `size` with rows (the user's terminal's, for a foreground start) is the
// console's window size from the first instant.
int PutConsoleOnStdio(int multiplexer, int peer, const winsize& size, ChildReport* report);

}  // namespace uxc::launcher

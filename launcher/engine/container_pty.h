// A pty of the container's own devpts instance, for /dev/console and the
// lxc.tty.max ttys (console.h), the payload's terminal (terminal.h) and the
// command of `uxc attach`. It is looked up under the container's root and
// checked as lxc-attach checks it: /dev/pts must be a devpts mount reached
// without a symlink, and its ptmx that instance's own, with nothing mounted
// on top of it. So a container that replaced its /dev/pts can make the
// allocation fail, but never hand uxc a file of its choosing. The peer comes
// from the multiplexer (TIOCGPTPEER), not from a path. No allocation.
#pragma once

#include <sys/ioctl.h>

#include "launcher/engine/child_report.h"

namespace uxc::launcher {

struct ContainerPty {
  int multiplexer = -1;  // CLOEXEC
  int peer = -1;         // CLOEXEC, O_NOCTTY
};

// Allocates the pty from /dev/pts under `root_fd`, unlocked, with `size`
// unless its rows are 0. `what` names the pty's use in errors ("/dev/tty1");
// `hint` says what the user can do. Returns 0, or -1 with `report` filled.
int OpenContainerPty(int root_fd, const winsize& size, const char* what, const char* hint,
                     ContainerPty* pty, ChildReport* report);

}  // namespace uxc::launcher

// The payload's terminal. Container code must never reach the user's
// terminal: with it as controlling terminal, TIOCSTI pushes input that the
// user's shell runs on the host once uxc returns (CVE-2016-10124,
// CVE-2017-5226). So the container's first process leaves the caller's
// session before anything else, and when the user's stdin is a terminal the
// payload gets a pty of the container's own devpts instead, as lxc-attach
// and podman do: it is the payload's controlling terminal and stands in for
// each of the user's fds 0-2 that is a terminal; the launcher relays between
// the two (terminal_relay.h).
#pragma once

#include <sys/ioctl.h>

#include "launcher/engine/child_report.h"

namespace uxc::launcher {

struct TerminalPlan {
  // The user's stdin is a terminal: the payload gets a pty.
  bool enabled = false;
  // Bit N set: the user's fd N (0, 1, 2) is a terminal, and the pty replaces
  // it; an fd that is not a terminal (a file, a pipe) is passed as it is.
  unsigned replaced_fds = 0;
  // The user's window size at the start, the pty's first size.
  winsize size = {};
};

// Parent: looks at this process's fds 0-2.
TerminalPlan PlanTerminal();

// Child, first of all: a session of its own, so that no terminal the caller
// has is the container's controlling terminal; /dev/tty then fails with
// ENXIO until the payload's own pty becomes it.
int LeaveCallerSession(ChildReport* report);

// Child, once the container's devpts is mounted: opens a pty from its
// /dev/pts/ptmx (under `root_fd`), unlocks it, gives it the plan's size.
// Stores the multiplexer in `*multiplexer` and the peer in `*peer`, both
// CLOEXEC.
int OpenPayloadTerminal(int root_fd, const TerminalPlan& plan, int* multiplexer, int* peer,
                        ChildReport* report);

// Child, as the session leader: makes `peer` its controlling terminal and
// puts it on the fds the plan replaces, then closes `peer`.
int TakeTerminal(const TerminalPlan& plan, int peer, ChildReport* report);

}  // namespace uxc::launcher

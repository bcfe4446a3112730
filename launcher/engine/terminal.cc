#include "launcher/engine/terminal.h"

#include <unistd.h>

#include "base/unique_fd.h"
#include "launcher/engine/container_pty.h"

namespace uxc::launcher {

TerminalPlan PlanTerminal() {
  TerminalPlan plan;
  plan.enabled = isatty(STDIN_FILENO) == 1;
  if (!plan.enabled) return plan;
  for (int fd = 0; fd <= 2; ++fd) {
    if (isatty(fd) == 1) plan.replaced_fds |= 1u << fd;
  }
  if (ioctl(STDIN_FILENO, TIOCGWINSZ, &plan.size) != 0) plan.size = {};
  return plan;
}

int LeaveCallerSession(ChildReport* report) {
  // The clone's child is in its parent's process group, never its leader,
  // so setsid(2) cannot fail with EPERM here.
  if (setsid() < 0) return Fail(report, errno, "leave the caller's session (setsid)");
  return 0;
}

int OpenPayloadTerminal(int root_fd, const TerminalPlan& plan, int* multiplexer, int* peer,
                        ChildReport* report) {
  const char* hint =
      "the payload's terminal comes from the container's devpts on /dev/pts: check that no "
      "lxc.mount.entry hides it, or run uxc with stdin not a terminal";
  ContainerPty pty;
  if (OpenContainerPty(root_fd, plan.size, "the terminal", hint, &pty, report) != 0) return -1;
  *multiplexer = pty.multiplexer;
  *peer = pty.peer;
  return 0;
}

int TakeTerminal(const TerminalPlan& plan, int peer, ChildReport* report) {
  UniqueFd terminal(peer);
  if (ioctl(terminal.get(), TIOCSCTTY, 0) != 0) {
    return Fail(report, errno, "make the pty the controlling terminal");
  }
  for (int fd = 0; fd <= 2; ++fd) {
    if ((plan.replaced_fds & (1u << fd)) && dup2(terminal.get(), fd) < 0) {
      return Fail(report, errno, "put the pty on the standard fds");
    }
  }
  return 0;
}

}  // namespace uxc::launcher

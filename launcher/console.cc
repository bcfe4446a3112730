#include "launcher/console.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "base/unique_fd.h"
#include "launcher/config_keys.h"
#include "launcher/mounter.h"

namespace uxc::launcher {
namespace {

MountStep PtyTarget(const std::string& path) {
  MountStep step;
  step.kind = MountStep::Kind::kBind;
  step.target = path;
  step.create = MountStep::Create::kFile;
  step.follow_symlinks = false;
  step.origin = path == "/dev/console" ? "console" : "lxc.tty.max";
  return step;
}

}  // namespace

Result<ConsolePlan> PlanConsole(const config::ContainerConfig& config, bool console_by_default) {
  ConsolePlan plan;
  std::string console = config.GetOr("lxc.console.path", "");
  if (console == "none" || (console.empty() && !console_by_default)) {
    plan.has_console = false;
  } else if (!console.empty()) {
    return KeyError(
        config, "lxc.console.path",
        "a host device as console is not supported; leave it unset (a pty) or set none");
  }
  auto ttys = GetInteger(config, "lxc.tty.max", 0, 0, 62);
  if (!ttys.ok()) return ttys.take_error();
  plan.tty_count = static_cast<int>(*ttys);
  if (plan.has_console) plan.targets.push_back(PtyTarget("/dev/console"));
  for (int i = 1; i <= plan.tty_count; ++i)
    plan.targets.push_back(PtyTarget("/dev/tty" + std::to_string(i)));
  return plan;
}

int SetUpConsoles(int root_fd, const ConsolePlan& plan, int* fds, ChildReport* report) {
  for (size_t i = 0; i < plan.targets.size(); ++i) {
    const MountStep& target = plan.targets[i];
    UniqueFd ptx(OpenInRoot(root_fd, "/dev/pts/ptmx", O_RDWR | O_NOCTTY, RESOLVE_NO_SYMLINKS));
    if (!ptx) return Fail(report, errno, "open /dev/pts/ptmx for", target.target.c_str(), nullptr);
    int unlock = 0;
    if (ioctl(ptx.get(), TIOCSPTLCK, &unlock) != 0) {
      return Fail(report, errno, "unlock the pty for", target.target.c_str(), nullptr);
    }
    UniqueFd peer(ioctl(ptx.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!peer) return Fail(report, errno, "open the pty peer for", target.target.c_str(), nullptr);
    if (BindFdOnto(root_fd, peer.get(), target, report) < 0) return -1;
    fds[i] = ptx.Release();
    if (plan.has_console && i == 0) fds[plan.targets.size()] = peer.Release();
  }
  return 0;
}

int PutConsoleOnStdio(int multiplexer, int peer, const winsize& size, ChildReport* report) {
  if (size.ws_row != 0 && ioctl(multiplexer, TIOCSWINSZ, &size) != 0) {
    return Fail(report, errno, "set the console's window size");
  }
  for (int fd = 0; fd <= 2; ++fd) {
    if (dup2(peer, fd) < 0) return Fail(report, errno, "put the console on the init's stdio");
  }
  return 0;
}

}  // namespace uxc::launcher

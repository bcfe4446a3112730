#include "launcher/engine/console.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <unistd.h>

#include "base/unique_fd.h"
#include "launcher/engine/config_keys.h"
#include "launcher/engine/container_pty.h"
#include "launcher/engine/mounter.h"

namespace uxc::launcher {
namespace {

constexpr char kDev[] = "/dev/";

// Not in this build: a host device as the console.
constexpr std::string_view kHostConsoleRefused =
    "a host device as console is not supported; leave it unset (a pty) or set none";

std::string HostConsoleLimit(std::string_view, std::string_view value) {
  if (value.empty() || value == "none") return "";
  return "ignored: uxc gives the container a pty as its console and cannot use a host device "
         "instead, so a start with one is refused; leave the key unset or set none";
}

constexpr config::BuildLimit kConsoleLimits[] = {{"lxc.console.path", {}, HostConsoleLimit}};

MountStep PtyTarget(const std::string& path, const char* origin) {
  MountStep step;
  step.kind = MountStep::Kind::kBind;
  step.target = path;
  step.create = MountStep::Create::kFile;
  step.follow_symlinks = false;
  step.origin = origin;
  return step;
}

MountStep TtyLink(const std::string& name, const std::string& content) {
  MountStep step;
  step.kind = MountStep::Kind::kSymlink;
  step.target = kDev + name;
  step.source = content;
  step.follow_symlinks = false;
  step.origin = "lxc.tty.dir";
  return step;
}

// Puts the symlink `link` in /dev (resolved in the root, no symlink on the
// way) in place of whatever is there: a rootfs's own /dev/ttyN node without
// lxc.autodev, as LXC unlinks it.
int ReplaceWithSymlink(int root_fd, const MountStep& link, ChildReport* report) {
  const char* name = link.target.c_str() + sizeof kDev - 1;
  UniqueFd dev(OpenInRoot(root_fd, kDev, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS));
  if (!dev) return Fail(report, errno, "open /dev for the link", link.target.c_str(), nullptr);
  if (unlinkat(dev.get(), name, 0) != 0 && errno != ENOENT) {
    return Fail(report, errno, "remove what lxc.tty.dir replaces with a symlink:", link.target.c_str(),
                nullptr);
  }
  if (symlinkat(link.source.c_str(), dev.get(), name) != 0) {
    return Fail(report, errno, "make the lxc.tty.dir symlink", link.target.c_str(), nullptr);
  }
  return 0;
}

}  // namespace

std::span<const config::BuildLimit> ConsoleBuildLimits() { return kConsoleLimits; }

Result<ConsolePlan> PlanConsole(const config::ContainerConfig& config, bool console_by_default) {
  ConsolePlan plan;
  std::string console = config.GetOr("lxc.console.path", "");
  if (console == "none" || (console.empty() && !console_by_default)) {
    plan.has_console = false;
  } else if (!console.empty()) {
    return KeyError(config, "lxc.console.path", std::string(kHostConsoleRefused));
  }
  UXC_ASSIGN_OR_RETURN(auto ttys, GetInteger(config, "lxc.tty.max", 0, 0, 62));
  plan.tty_count = static_cast<int>(ttys);
  plan.tty_dir = config.GetOr("lxc.tty.dir", "");
  std::string dir = plan.tty_dir.empty() ? kDev : kDev + plan.tty_dir + "/";
  if (plan.has_console) {
    plan.targets.push_back(PtyTarget(dir + "console", "console"));
    if (!plan.tty_dir.empty()) plan.console_alias.push_back(PtyTarget("/dev/console", "lxc.tty.dir"));
  }
  for (int i = 1; i <= plan.tty_count; ++i) {
    std::string tty = "tty" + std::to_string(i);
    plan.targets.push_back(PtyTarget(dir + tty, "lxc.tty.max"));
    if (!plan.tty_dir.empty()) plan.tty_links.push_back(TtyLink(tty, plan.tty_dir + "/" + tty));
  }
  return plan;
}

int SetUpConsoles(int root_fd, const ConsolePlan& plan, int* fds, ChildReport* report) {
  const char* hint = "the ptys come from the container's devpts on /dev/pts: check that no "
                     "lxc.mount.entry hides it";
  for (size_t i = 0; i < plan.targets.size(); ++i) {
    const MountStep& target = plan.targets[i];
    ContainerPty pty;
    if (OpenContainerPty(root_fd, {}, target.target.c_str(), hint, &pty, report) != 0) return -1;
    UniqueFd multiplexer(pty.multiplexer), peer(pty.peer);
    if (BindFdOnto(root_fd, peer.get(), target, report) < 0) return -1;
    if (plan.has_console && i == 0) {
      for (const MountStep& alias : plan.console_alias) {
        if (BindFdOnto(root_fd, peer.get(), alias, report) < 0) return -1;
      }
      fds[plan.targets.size()] = peer.Release();
    }
    fds[i] = multiplexer.Release();
  }
  for (const MountStep& link : plan.tty_links) {
    if (ReplaceWithSymlink(root_fd, link, report) != 0) return -1;
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

// The debian template: a Debian rootfs bootstrapped by mmdebstrap from the
// archive in the host's apt sources, run as root of the container's user
// namespace, so no step needs real root. mmdebstrap writes a tarball, which
// is cached by its inputs and then extracted like any image, device nodes
// left out (a user namespace cannot make them; uxc fills /dev at start).
#pragma once

#include <optional>
#include <string>

#include "launcher/systemd/cgroup_prospect.h"
#include "launcher/templates/template.h"

namespace uxc::templates {

struct DebianBuild {
  std::string release = "bookworm";
  std::string variant = "minbase";
  std::string arch;
  std::string mirror;
  std::string packages;  // comma-separated, as mmdebstrap --include takes them
  // systemd: systemd-sysv and dbus are among the packages, and the rootfs
  // gets the drop-ins of DebianSystemdFixes. sysvinit: sysvinit-core, and an
  // inittab made for a container (DebianSysvinitInittab).
  enum class Init { kSystemd, kSysvinit, kNone } init = Init::kNone;
};

// The cache file name for a build: "RELEASE-VARIANT-ARCH-HASH.tar", HASH a
// stable hash of every input (so a changed mirror or package list is a miss).
std::string DebianCacheName(const DebianBuild& build);

// The mmdebstrap command line writing the tarball to stdout.
std::vector<std::string> MmdebstrapArgv(const DebianBuild& build);

std::string DebianConfig(const std::string& arch);

// --init systemd, sysvinit, or none (a rootfs without an init, for uxc
// execute and uxc run); anything else is refused. Without it: systemd where
// a start can get a delegated cgroup (`prospect`), which a systemd guest
// needs, else sysvinit, so that a plain create boots, and `note` says why.
Result<DebianBuild::Init> ChooseInit(const std::optional<std::string>& init, const launcher::CgroupProspect& prospect,
                                     std::string* note);

// Files a systemd guest gets beside the packages' own, each a path under the
// rootfs and its contents: drop-ins for the units that cannot work in an
// unprivileged container (DESIGN: what uxc gives a guest, and what not).
std::vector<std::pair<std::string, std::string>> DebianSystemdFixes();

// The /etc/inittab of a sysvinit guest, as LXC's debian template writes it:
// runlevel 2, SIGPWR (lxc.signal.halt, what `uxc stop` sends) halts through
// the powerfail entry, SIGINT (ctrlaltdel) reboots, and gettys run on the
// console and on tty1..`ttys` (lxc.tty.max), the ptys uxc gives the
// container, never on a real console.
std::string DebianSysvinitInittab(int ttys);

Result<TemplateOutput> CreateDebian(const TemplateContext& context, const cli::ParsedArgs& args);

}  // namespace uxc::templates

// The debian template: a Debian rootfs bootstrapped by mmdebstrap from the
// archive in the host's apt sources, run as root of the container's user
// namespace, so no step needs real root. mmdebstrap writes a tarball, which
// is cached by its inputs and then extracted like any image, device nodes
// left out (a user namespace cannot make them; uxc fills /dev at start).
#pragma once

#include <optional>
#include <string>

#include "launcher/templates/template.h"

namespace uxc::templates {

struct DebianBuild {
  std::string release = "bookworm";
  std::string variant = "minbase";
  std::string arch;
  std::string mirror;
  std::string packages;  // comma-separated, as mmdebstrap --include takes them
  // --init sysvinit (the default): sysvinit-core is among the packages, and
  // the rootfs gets an inittab made for a container (DebianSysvinitInittab).
  bool sysvinit = false;
};

// The cache file name for a build: "RELEASE-VARIANT-ARCH-HASH.tar", HASH a
// stable hash of every input (so a changed mirror or package list is a miss).
std::string DebianCacheName(const DebianBuild& build);

// The mmdebstrap command line writing the tarball to stdout.
std::vector<std::string> MmdebstrapArgv(const DebianBuild& build);

std::string DebianConfig(const std::string& arch);

// --init: sysvinit when not given, so a plain create boots; none for a rootfs
// without an init (uxc execute, uxc run). Anything else is refused.
Result<bool> ChooseSysvinit(const std::optional<std::string>& init);

// The /etc/inittab of a sysvinit guest, as LXC's debian template writes it:
// runlevel 2, SIGPWR (lxc.signal.halt, what `uxc stop` sends) halts through
// the powerfail entry, SIGINT (ctrlaltdel) reboots, and gettys run on the
// console and on tty1..`ttys` (lxc.tty.max), the ptys uxc gives the
// container, never on a real console.
std::string DebianSysvinitInittab(int ttys);

Result<TemplateOutput> CreateDebian(const TemplateContext& context, const cli::ParsedArgs& args);

}  // namespace uxc::templates

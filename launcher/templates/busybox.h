// The busybox template: a rootfs made of the host's static busybox, a link
// per applet, and the few files its init needs, as LXC's lxc-busybox makes.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/templates/template.h"

namespace uxc::templates {

// The rootfs as a tar archive owned by container root: the directory tree,
// /bin/busybox (`binary` is its content), /bin/APPLET -> busybox for each
// applet, /sbin/init (a hard link), /etc/{passwd,group,shadow,fstab,inittab},
// /etc/init.d/rcS and udhcpc's script.
Result<std::string> BusyboxRootfsArchive(const std::string& binary, const std::vector<std::string>& applets);

// The applet names `busybox --list` printed, one a line. A name with a '/'
// or that is "." or ".." is an error; "busybox" itself is left out.
Result<std::vector<std::string>> ParseAppletList(const std::string& list);

// Whether the ELF image has no program interpreter (PT_INTERP), i.e. can run
// in a rootfs without the host's libraries.
Result<bool> IsStaticElf(const std::string& image);

// The busybox template's distribution configuration.
std::string BusyboxConfig();

Result<TemplateOutput> CreateBusybox(const TemplateContext& context, const cli::ParsedArgs& args);

}  // namespace uxc::templates

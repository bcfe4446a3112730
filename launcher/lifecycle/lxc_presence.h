// Whether LXC itself runs a container: lxc-start's monitor listens on an
// abstract unix socket named after the container path and the name, which is
// what lxc-ls and lxc-info connect to. uxc looks for it so that it never
// starts a second init on a rootfs LXC is running.
#pragma once

#include <string>

namespace uxc::lifecycle {

// LXC's command socket name without the leading NUL: "LXCPATH/NAME/command",
// or "lxc/HASH/command" when that is too long for sun_path, HASH being the
// 64-bit FNV-1a of "LXCPATH/NAME" in 16 hex digits (liblxc's
// lxc_make_abstract_socket_name).
std::string LxcCommandSocketName(const std::string& lxcpath, const std::string& name);

// Whether something accepts connections on that socket in this network
// namespace: a running lxc-start for LXCPATH/NAME.
bool LxcIsRunning(const std::string& lxcpath, const std::string& name);

}  // namespace uxc::lifecycle

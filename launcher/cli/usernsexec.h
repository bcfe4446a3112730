// `uxc usernsexec [-m u|g|b:NSID:HOSTID:RANGE]... [-s] [--] [CMD [ARGS]]`:
// runs CMD (default /bin/sh) as root of a new user namespace, like
// lxc-usernsexec and `podman unshare`.
#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

int RunUsernsexec(const std::vector<std::string>& args);

}  // namespace uxc::cli

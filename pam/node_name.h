// Which user names may name a user's node under the base: the name becomes
// a path component that root creates and hands over, so it is checked here,
// before any lookup or file system call. Pure code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace uxc::pam {

// Debian's useradd takes at most 32; LDAP sites go further.
constexpr size_t kMaxNodeName = 64;

// Why `user` cannot name a node, or nullopt when it can: 1 to 64 of
// letters, digits, '.', '_', '-', '@' and a final '$' (Samba's machine
// accounts); not starting with '.' or '-' (so never "." or ".."); and not
// shaped like a cgroup interface file ("cgroup.procs", "memory.max"), which
// would collide with the files of the base (cgroup-v2.rst, "Conventions").
std::optional<std::string> NodeNameProblem(std::string_view user);

}  // namespace uxc::pam

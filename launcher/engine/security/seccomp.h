// Turns a parsed seccomp profile (config/seccomp_profile.h) into a classic
// BPF program with libseccomp, in the parent; the child only hands that
// program to the kernel. A start compiles it after the clone, while the
// child sets up (launcher/engine/start.cc), and reviews the profile before.
#pragma once

#include <linux/filter.h>

#include <cstddef>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/seccomp_profile.h"

namespace uxc::security {

struct SeccompFilter {
  std::vector<sock_filter> program;
  // Rules that could not be honoured as written, "FILE:LINE: message".
  std::vector<std::string> warnings;
};

// Builds the filter for this host: a version 2 profile covers the native
// architecture and its compat ones (x86_64 also gets x86 and x32, aarch64 gets
// arm, ...), a [section]'s rules apply to that architecture only, and rules
// for architectures the host does not run are skipped. A version 1 profile
// covers the native architecture. `kill` kills the whole process, and
// `notify` returns ENOSYS, since uxc runs no notify listener.
Result<SeccompFilter> BuildSeccompFilter(const config::SeccompProfile& profile);

// The warnings BuildSeccompFilter gives for `profile`, without compiling it
// (a small part of the cost). The errors of libseccomp itself, e.g. a rule
// that contradicts an earlier one, only come from BuildSeccompFilter.
std::vector<std::string> ReviewSeccompProfile(const config::SeccompProfile& profile);

// The filter uxc stacks under every profile it loads (security.h), against
// terminal injection (CVE-2016-10124, CVE-2017-5226; bubblewrap does the
// same): ioctl TIOCSTI and TIOCLINUX fail with EPERM on every ABI of the
// host, whatever the upper 32 bits of the command hold (the kernel ignores
// them: ioctl's command is an unsigned int). Everything else passes, on any
// architecture: the profile's own filter decides. Being a filter of its own,
// it holds whatever the profile says about ioctl: the kernel runs every
// filter and takes the strictest answer (seccomp(2)).
Result<std::vector<sock_filter>> BuildTerminalIoctlFilter();

// Child side, no allocation: installs `program` with seccomp(2)
// SECCOMP_SET_MODE_FILTER. Needs no_new_privs or CAP_SYS_ADMIN in the
// caller's user namespace. Returns 0, or -1 with errno set.
int LoadSeccompFilter(const sock_filter* program, size_t length);

}  // namespace uxc::security

// clone3(2) with a pidfd: how the launcher makes the container's first
// process (and usernsexec's child) in new namespaces.
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "base/error.h"
#include "base/unique_fd.h"

namespace uxc::launcher {

// A process made by clone3. Named by its pidfd; the pid is kept for the
// /proc paths and the id-map helpers, which take a pid.
struct ClonedProcess {
  pid_t pid = 0;  // 0 in the child
  UniqueFd pidfd;
};

// clone3(CLONE_PIDFD | ns_flags) with SIGCHLD as exit signal; with a
// cgroup's fd (>= 0) also CLONE_INTO_CGROUP: the child starts in that cgroup,
// and a CLONE_NEWCGROUP in `ns_flags` is rooted there (Linux 5.7). Returns
// like fork(): in the child, pid is 0 and pidfd invalid. The child must not
// touch glibc's thread state (raise, abort, pthread_*): its cached tid is
// stale.
Result<ClonedProcess> CloneProcess(uint64_t ns_flags, int cgroup_fd = -1);

// Whether clone3 failed for want of CLONE_INTO_CGROUP: a kernel before 5.7
// (E2BIG for the larger clone_args, EINVAL) or a cgroup that cannot take it
// (EOPNOTSUPP): the caller moves the child with a cgroup.procs write instead.
bool IntoCgroupUnsupported(const Error& error);

}  // namespace uxc::launcher

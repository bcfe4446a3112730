#include "launcher/engine/clone.h"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace uxc::launcher {

bool IntoCgroupUnsupported(const Error& error) {
  return error.errno_value == E2BIG || error.errno_value == EINVAL || error.errno_value == EOPNOTSUPP;
}

Result<ClonedProcess> CloneProcess(uint64_t ns_flags, int cgroup_fd) {
  int pidfd = -1;
  clone_args args{};
  args.flags = CLONE_PIDFD | ns_flags;
  if (cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(cgroup_fd);
  }
  args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) {
    int error = errno;
    if ((ns_flags & CLONE_NEWUSER) && (error == EPERM || error == ENOSPC || error == EUSERS)) {
      return WithHint(ErrnoError(error, "create the container's namespaces"),
                      "unprivileged user namespaces may be disabled or used up: check "
                      "`sysctl user.max_user_namespaces` (must be > 0) and, on Debian, "
                      "`sysctl kernel.unprivileged_userns_clone` (must be 1)");
    }
    if (cgroup_fd >= 0) return ErrnoError(error, "create the container's init in its cgroup (clone3)");
    return ErrnoError(error, "create the container's namespaces (clone3)");
  }
  ClonedProcess process;
  process.pid = static_cast<pid_t>(pid);
  if (pid != 0) process.pidfd = UniqueFd(pidfd);
  return process;
}

}  // namespace uxc::launcher

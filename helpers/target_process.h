// The process whose user namespace gets a map. Everything about it is read
// and written through one /proc/PID directory fd, which pins the process: if
// it exits, every later open under that fd fails, even when its pid is reused.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.h"
#include "base/unique_fd.h"
#include "helpers/map_request.h"
#include "helpers/setuid_start.h"

namespace uxc::helpers {

struct TargetProcess {
  UniqueFd proc_dir;  // /proc/PID, O_DIRECTORY
  pid_t pid = 0;      // as this process's /proc shows it, for messages
  std::string label;  // "process 1234"
};

// Opens the target as the caller: /proc/PID for a pid, and for wait:N once
// pipe N has carried the pid (pid_pipe.h); for fd:N, N itself
// when it is a /proc/PID directory, or /proc/PID of a pidfd's process after
// the pidfd proves that process is still the one alive.
Result<TargetProcess> OpenTarget(const TargetSpec& spec);

// The target is yours to map: its uids are all the caller's, it sits in a
// user namespace whose parent is the caller's, and the kernel says the caller
// owns that namespace (NS_GET_OWNER_UID, ioctl_ns(2)).
Status CheckTargetBelongsTo(const TargetProcess& target, const Caller& caller);

// The target has no map of this kind yet (the kernel takes one write only).
Status CheckNotMapped(const TargetProcess& target, IdKind kind);

// The process behind `target.proc_dir` has not exited. pidfd_send_signal(2)
// accepts a /proc/PID directory fd as a pidfd.
Status CheckTargetAlive(const TargetProcess& target);

}  // namespace uxc::helpers

// The cgroup work of a PAM session: on the cgroup2 hierarchy, wherever it
// is mounted, a node per user under the base (shared by that user's
// sessions), a leaf per session below it, both delegated to the user, and
// the session's process moved into the leaf; at the close, the leaf and,
// after the user's last session, the node go again. Everything is reached
// by directory fd from the cgroup2 root (kernel/cgroup.h).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "base/error.h"
#include "pam/module_args.h"

namespace uxc::pam {

struct SessionUser {
  std::string name;  // checked by NodeNameProblem before it gets here
  uid_t uid = 0;
  gid_t gid = 0;
};

// What open_session leaves for close_session (pam_set_data).
struct SessionPlace {
  std::string leaf;    // "session-PID"
  std::string origin;  // the cgroup the process came from, as /proc/self/cgroup names it
};

// One line for syslog, with its priority (LOG_ERR ... LOG_DEBUG).
using LogLine = std::function<void(int priority, const std::string& line)>;

// The leaf of the session opened by process `pid`.
std::string LeafName(pid_t pid);

// Makes (or verifies) the user's node and the session's leaf, enables the
// controllers top-down, delegates both to the user and moves `pid` into the
// leaf. On an error nothing it made is left behind.
Result<SessionPlace> OpenSessionCgroup(const ModuleArgs& args, const SessionUser& user, pid_t pid,
                                       const LogLine& log);

// Moves this process back where it came from, removes the leaf when it is
// empty and, when no process is left under the node, the node with the
// session-* and uxc.* cgroups below it.
Status CloseSessionCgroup(const ModuleArgs& args, const SessionUser& user, const SessionPlace& place,
                          const LogLine& log);

}  // namespace uxc::pam

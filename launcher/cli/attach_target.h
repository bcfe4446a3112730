// Which process `uxc attach` enters the container through. Normally the
// init; but setns(2) with a pidfd and /proc/PID/ns both need ptrace read
// access to the process (ptrace(2), "Ptrace access mode checking"), which an
// init that is not dumpable does not grant: uxc's own pid 1 of `uxc execute`
// makes itself so, so that the container cannot ptrace it. Its children
// share its namespaces and are dumpable after their exec, so attach enters
// through one of them.
#pragma once

#include <sys/types.h>

#include <string_view>

#include "base/error.h"
#include "base/unique_fd.h"

namespace uxc::cli {

struct AttachTarget {
  pid_t pid = 0;
  UniqueFd pidfd;
};

// The parent pid in the text of a /proc/PID/stat file (proc(5): the field
// after the state, which follows the command name in parentheses, itself
// free to hold ") "), or -1.
pid_t ParentPidFromStat(std::string_view stat);

// The init `init_pid` when its namespaces can be looked at, else a child of
// it that can; with a pidfd opened on it (and re-checked against pid
// reuse). The error says why the container cannot be entered.
Result<AttachTarget> OpenAttachTarget(pid_t init_pid);

}  // namespace uxc::cli

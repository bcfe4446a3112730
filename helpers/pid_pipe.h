// uxc-newidmap's deferred target (wait:N): the helper starts before the
// process it maps exists, makes every check that needs no target, then reads
// the target's pid from the inherited pipe N. docs/idmap.md says why this is
// as safe as a pid on the command line.
#pragma once

#include <sys/types.h>

#include "base/error.h"

namespace uxc::helpers {

// Blocks until pipe `fd` carries one line (a pid and its newline) or reaches
// its end. Refuses an fd that is not open or not a pipe, an end of the pipe
// before the newline, a line longer than kMaxPidLine, anything after the
// newline, and a line that is not a pid (ParsePidLine).
Result<pid_t> ReadPidFromPipe(int fd);

}  // namespace uxc::helpers

// The caller's side of a setuid helper (uxc-newidmap, uxc-newuidmap,
// uxc-newgidmap, later uxc-user-nic): start it with its stderr captured,
// then wait for it and read what it said. What a failure means is the
// caller's to say; this only reports how the helper ended.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"

namespace uxc::kernel {

// A helper started (posix_spawn, or SpawnAhead) whose stderr is captured.
struct RunningHelper {
  pid_t pid = -1;
  UniqueFd stderr_read;
  UniqueFd stdout_read;  // when SpawnHelper captures it
  std::string command;  // the command line, for messages
};

// A helper about to start: its command text and the pipe for its stderr.
// SpawnHelper does both steps; a caller that starts the process itself
// (SpawnAhead) hands `stderr_write` to it and sets `helper.pid`.
struct HelperStart {
  RunningHelper helper;
  UniqueFd stderr_write;
};
Result<HelperStart> PrepareHelper(const std::vector<std::string>& argv);

// Starts argv[0] (a path) with the caller's environment and its stderr on a
// pipe. `pass_fd`, when not -1, is inherited by the helper at the same number.
// With `capture_stdout`, its stdout goes to a pipe too (uxc-user-nic's
// answer); it must be short, as it is read after the helper exits.
Result<RunningHelper> SpawnHelper(std::vector<std::string> argv, int pass_fd = -1, bool capture_stdout = false);

// How a helper ended.
struct HelperExit {
  bool succeeded = false;  // exit status 0
  std::string how;         // "exit status 1", "signal 9"
  std::string output;      // its stderr, without trailing blanks
  std::string stdout_text;  // its stdout, when captured
};

// Reaps the helper and reads all it wrote to stderr. An error only when it
// cannot be waited for.
Result<HelperExit> WaitForHelper(RunningHelper& helper);

// "`COMMAND` failed (exit status 1): OUTPUT" for a helper that did not
// succeed.
std::string DescribeFailure(const RunningHelper& helper, const HelperExit& exit);

}  // namespace uxc::kernel

// Runs a host tool (busybox --list, curl, gpgv, tar for metadata) as the
// calling user, outside any namespace, and collects its output.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace uxc::templates {

struct HostCommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;     // stdout, when captured
  std::string err;     // stderr
};

struct HostCommandOptions {
  bool capture_stdout = true;  // else it goes to the caller's stdout
  int stdout_fd = -1;          // when set, stdout goes to this fd instead
  bool stderr_to_caller = false;  // its stderr goes to the caller's (a progress bar), not into `err`
};

// argv[0] is looked up in PATH. An error only when the command cannot be run
// at all; its exit status is in the result.
Result<HostCommandResult> RunHostCommand(const std::vector<std::string>& argv,
                                         const HostCommandOptions& options = {});

// RunHostCommand, and an error with `what` and the command's stderr unless it
// exited 0.
Result<HostCommandResult> RunHostCommandOrFail(const std::vector<std::string>& argv,
                                               const std::string& what,
                                               const HostCommandOptions& options = {});

}  // namespace uxc::templates

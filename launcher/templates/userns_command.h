// Runs a command as root of the container's user namespace through
// `uxc usernsexec`, so that files it creates belong to the mapped ids
// (container root = the caller's first subordinate uid).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/templates/known_noise.h"

namespace uxc::templates {

struct IdRange {
  uint32_t start = 0;
  uint32_t count = 0;
};

// The caller's ids and the subordinate ranges mapped at 0 in the container.
struct UsernsIds {
  uid_t uid = 0;
  gid_t gid = 0;
  IdRange subuid;
  IdRange subgid;
};

// `usernsexec -m` arguments mapping the container's ids only: u:0:S:N, g:0:S:N.
// Commands that touch a container's files from the inside use this map, so
// they have no power over the caller's own files.
std::vector<std::string> ContainerMaps(const UsernsIds& ids);
// The container's ids plus the caller's own uid and gid at the first free ns
// id (as LXC's helper namespaces do): for the steps that hand a directory the
// caller made to container root, or remove a whole container directory.
std::vector<std::string> ContainerAndOwnerMaps(const UsernsIds& ids);

struct UsernsCommand {
  std::vector<std::string> maps;  // -m arguments, in order
  std::vector<std::string> argv;  // argv[0] is looked up in PATH
  int stdin_fd = -1;              // -1: /dev/null
  int stdout_fd = -1;             // -1: the caller's stdout
  bool echo_stderr = true;        // false: its stderr is only kept, for the caller to report
  NoiseFilter* stderr_noise = nullptr;  // when set, the lines it hides are not echoed
};

struct UsernsOutcome {
  int exit_code = -1;      // -1 when killed by a signal
  int term_signal = 0;
  std::string stderr_tail;  // the last few KiB of its stderr (also echoed to ours)
};

// `uxc_binary` is the uxc executable ("/proc/self/exe" in the CLI).
Result<UsernsOutcome> RunInUserns(const std::string& uxc_binary, const UsernsCommand& command);

// RunInUserns, and an error naming `what` unless the command exited 0.
Status RunInUsernsOrFail(const std::string& uxc_binary, const UsernsCommand& command,
                         const std::string& what);

}  // namespace uxc::templates

// The state file a monitor writes into its runtime dir while the container
// runs, read by ls, info, attach and stop. One "key=value" per line after a
// version line:
//   uxc-state 1
//   name=c1
//   init_pid=1234
//   monitor_pid=1233
//   config=/home/u/.local/share/uxc/c1/config
//   started=1700000000
// A container run in the foreground (uxc execute, uxc start -F) has no
// monitor and no control socket; its launcher writes the file with the
// line "foreground=1" and its own pid as monitor_pid.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace uxc::lifecycle {

struct ContainerState {
  std::string name;
  pid_t init_pid = 0;
  pid_t monitor_pid = 0;
  std::string config_file;
  int64_t started = 0;  // seconds since the epoch
  bool foreground = false;

  bool operator==(const ContainerState&) const = default;
};

std::string SerializeState(const ContainerState& state);

// Errors name `origin`, the line and what is wrong.
Result<ContainerState> ParseState(std::string_view text, const std::string& origin);

// Reads and parses a state file.
Result<ContainerState> ReadStateFile(const std::string& path);

// Writes the file atomically (a temporary file renamed over it), mode 0600.
Status WriteStateFile(const std::string& path, const ContainerState& state);

}  // namespace uxc::lifecycle

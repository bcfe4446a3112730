// What the commands other than start need to know about a container: where
// it is, whether it runs (its monitor answers), and its init's pid.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.h"
#include "base/unique_fd.h"
#include "launcher/lifecycle/runtime_dir.h"
#include "launcher/lifecycle/state.h"

namespace uxc::lifecycle {

struct ContainerRef {
  std::string name;
  std::string container_dir;
  std::string config_file;
  RuntimePaths paths;
};

// Finds container `name` under `container_path` (its config must exist) and
// its runtime paths; the runtime dir is created and checked.
Result<ContainerRef> ResolveContainer(const std::string& name, const std::string& container_path);

enum class RunState { kStopped, kRunning };
const char* RunStateName(RunState state);  // "STOPPED", "RUNNING"
Result<RunState> ParseRunState(const std::string& text);

struct ContainerStatus {
  RunState state = RunState::kStopped;
  ContainerState details;  // when running
};

// RUNNING when the container lock is held and the monitor answers; STOPPED
// when nothing holds the lock (files a killed monitor left are removed).
// A corrupt state file or a stale socket while the lock is held is an error.
Result<ContainerStatus> ProbeContainer(const ContainerRef& ref);

// Connects to the running container's monitor.
Result<UniqueFd> ConnectMonitor(const ContainerRef& ref);

}  // namespace uxc::lifecycle

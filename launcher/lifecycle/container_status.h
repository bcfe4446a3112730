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

// LXC's names. STARTING and STOPPING: the lock is held (by a start, or by a
// monitor that releases or restarts its container) and no init runs yet or
// any more; STOPPED only once nothing holds the lock.
enum class RunState { kStopped, kStarting, kRunning, kStopping };
const char* RunStateName(RunState state);  // "STOPPED", "STARTING", "RUNNING", "STOPPING"
Result<RunState> ParseRunState(const std::string& text);

struct ContainerStatus {
  RunState state = RunState::kStopped;
  ContainerState details;  // when running
};

// RUNNING when the container lock is held and the monitor answers; STARTING
// or STOPPING when it is held and there is no state file yet or any more; STOPPED
// when nothing holds the lock (what a killed monitor left is released from
// its record, under the lock: ReleaseLeftovers).
// A corrupt state file or a stale socket while the lock is held is an error.
Result<ContainerStatus> ProbeContainer(const ContainerRef& ref);

// When no one holds the container lock: takes it and releases what a start
// whose monitor (or foreground launcher) died left (release.h), then the
// runtime files.
void ReleaseLeftovers(const ContainerRef& ref);

// After its monitor said it ended: waits, at most `timeout_ms`, until the
// monitor (or foreground launcher) has let the lock go, so the container is
// STOPPED for whoever asks next. False when it is still held.
bool AwaitLockReleased(const ContainerRef& ref, int timeout_ms);

// Connects to the running container's monitor. A container run in the
// foreground has none: the error says where it runs.
Result<UniqueFd> ConnectMonitor(const ContainerRef& ref);

// What ls, info and attach need about a container that runs without a
// monitor (uxc execute, uxc start -F): a state file with "foreground=1",
// written by the launcher once the init runs and removed when this record
// goes. The launcher must hold the container lock for as long: when it is
// killed, the lock goes with it and the next ProbeContainer removes the file.
class ForegroundRecord {
 public:
  ForegroundRecord(std::string name, std::string config_file);
  ~ForegroundRecord();
  ForegroundRecord(const ForegroundRecord&) = delete;
  ForegroundRecord& operator=(const ForegroundRecord&) = delete;

  // Writes the state file for the running init `init_pid`.
  Status Running(pid_t init_pid);

  // Listens on the control socket, for a launcher that answers it
  // (uxc start -F; launcher/foreground_control.h). Call before Running.
  Result<UniqueFd> Listen();

 private:
  Status MakeRuntimeDir();

  std::string name_;
  std::string config_file_;
  RuntimePaths paths_;
  bool written_ = false;
};

}  // namespace uxc::lifecycle

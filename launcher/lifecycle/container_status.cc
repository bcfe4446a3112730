#include "launcher/lifecycle/container_status.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <utility>

#include "config/container_name.h"
#include "launcher/lifecycle/acquired_record.h"
#include "launcher/lifecycle/control_socket.h"
#include "launcher/lifecycle/release.h"
#include "launcher/lifecycle/container_lock.h"

namespace uxc::lifecycle {
namespace {

// True while some process (the monitor, or uxc execute) holds the lock.
bool LockHeld(const std::string& container_dir) {
  UniqueFd fd(open(ContainerLock::PathFor(container_dir).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  if (flock(fd.get(), LOCK_SH | LOCK_NB) == 0) return false;
  return errno == EWOULDBLOCK;
}

// The lock is held and no state file says RUNNING: a start (or a reboot's
// restart) is under way until its record has something released in it;
// from then on the release of a stop (or of the reboot's old container).
RunState Transition(const RuntimePaths& paths) {
  auto record = ReadAcquiredFile(paths.acquired);
  if (!record.ok() || !record->has_value()) return RunState::kStarting;
  for (const AcquiredEntry& entry : (*record)->entries) {
    if (entry.status == AcquiredStatus::kReleased) return RunState::kStopping;
  }
  return RunState::kStarting;
}

}  // namespace

Result<ContainerRef> ResolveContainer(const std::string& name, const std::string& container_path) {
  UXC_RETURN_IF_ERROR(config::ValidateContainerName(name));
  ContainerRef ref;
  ref.name = name;
  ref.container_dir = container_path + "/" + name;
  ref.config_file = ref.container_dir + "/config";
  struct stat st;
  if (stat(ref.config_file.c_str(), &st) != 0) {
    return PlainError("container '" + name + "' does not exist: there is no " + ref.config_file +
                      " (`uxc ls` lists your containers; give -P DIR for another container path)");
  }
  UXC_ASSIGN_OR_RETURN(auto base, EnsureRuntimeBase());
  ref.paths = PathsFor(base, name);
  return ref;
}

const char* RunStateName(RunState state) {
  switch (state) {
    case RunState::kStopped: return "STOPPED";
    case RunState::kStarting: return "STARTING";
    case RunState::kRunning: return "RUNNING";
    case RunState::kStopping: return "STOPPING";
  }
  return "UNKNOWN";
}

Result<RunState> ParseRunState(const std::string& text) {
  for (RunState state : {RunState::kStopped, RunState::kStarting, RunState::kRunning, RunState::kStopping}) {
    if (text == RunStateName(state)) return state;
  }
  return PlainError("unknown state \"" + text + "\": use STOPPED, STARTING, RUNNING or STOPPING");
}

Result<ContainerStatus> ProbeContainer(const ContainerRef& ref) {
  ContainerStatus status;
  struct stat st;
  bool has_state = lstat(ref.paths.state.c_str(), &st) == 0;
  if (!LockHeld(ref.container_dir)) {
    if (lstat(ref.paths.dir.c_str(), &st) == 0) ReleaseLeftovers(ref);
    return status;
  }
  if (!has_state) {
    status.state = Transition(ref.paths);
    return status;
  }
  UXC_ASSIGN_OR_RETURN(auto state, ReadStateFile(ref.paths.state));
  if (!state.foreground) {
    UXC_RETURN_IF_ERROR(ConnectControlSocket(ref.paths.socket, ref.name));
  }
  status.state = RunState::kRunning;
  status.details = std::move(state);
  return status;
}

void ReleaseLeftovers(const ContainerRef& ref) {
  auto lock = lifecycle::ContainerLock::TryAcquire(ref.container_dir, ref.name);
  if (!lock.ok()) return;  // it runs again meanwhile
  ReleaseAbandoned(ref.paths, ref.name);
  RemoveRuntimeFiles(ref.paths);
}

bool AwaitLockReleased(const ContainerRef& ref, int timeout_ms) {
  constexpr int kStepMs = 10;
  for (int waited = 0; LockHeld(ref.container_dir); waited += kStepMs) {
    if (waited >= timeout_ms) return false;
    usleep(kStepMs * 1000);
  }
  return true;
}

Result<UniqueFd> ConnectMonitor(const ContainerRef& ref) {
  // Not through the state file: stop must work even when that is corrupt.
  struct stat st;
  bool held = LockHeld(ref.container_dir);
  if (!held && lstat(ref.paths.dir.c_str(), &st) == 0) ReleaseLeftovers(ref);
  if (held && lstat(ref.paths.socket.c_str(), &st) != 0) {
    auto state = ReadStateFile(ref.paths.state);
    if (state.ok() && state->foreground) {
      return PlainError("container '" + ref.name + "' runs in the foreground of `uxc execute` (pid " +
                        std::to_string(state->monitor_pid) + "), which has no monitor to ask: stop it there "
                        "(Ctrl-C), or kill that process");
    }
  }
  if (!held || lstat(ref.paths.socket.c_str(), &st) != 0) {
    return PlainError("container '" + ref.name + "' is not running (start it with `uxc start " + ref.name + "`)");
  }
  return ConnectControlSocket(ref.paths.socket, ref.name);
}

ForegroundRecord::ForegroundRecord(std::string name, std::string config_file)
    : name_(std::move(name)), config_file_(std::move(config_file)) {}

ForegroundRecord::~ForegroundRecord() {
  if (written_) RemoveRuntimeFiles(paths_);
}

Status ForegroundRecord::MakeRuntimeDir() {
  if (written_) return OkStatus();
  UXC_RETURN_IF_ERROR(config::ValidateContainerName(name_));
  UXC_ASSIGN_OR_RETURN(auto base, EnsureRuntimeBase());
  paths_ = PathsFor(base, name_);
  UXC_RETURN_IF_ERROR(EnsurePrivateDir(paths_.dir, getuid()));
  written_ = true;  // from here on, whatever exists is ours to remove
  return OkStatus();
}

Result<UniqueFd> ForegroundRecord::Listen() {
  UXC_RETURN_IF_ERROR(MakeRuntimeDir());
  return ListenControlSocket(paths_.socket);
}

Status ForegroundRecord::Running(pid_t init_pid) {
  UXC_RETURN_IF_ERROR(MakeRuntimeDir());
  ContainerState state{name_, init_pid, getpid(), config_file_, time(nullptr), true};
  return WriteStateFile(paths_.state, state);
}

}  // namespace uxc::lifecycle

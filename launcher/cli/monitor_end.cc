#include "launcher/cli/monitor_end.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <string_view>

#include "launcher/cli/detached_start.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/lifecycle/last_exit.h"
#include "launcher/lifecycle/pending_requests.h"
#include "launcher/lifecycle/release.h"
#include "launcher/engine/log.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& EndOptions() {
  static const std::vector<OptionSpec> kOptions = ContainerOptions({
      {"rcfile", 'f', true, false, "FILE", "the container's config"},
      {"define", 's', true, true, "KEY=VALUE", "a config key set for the start"},
      {"target", 0, true, false, "stop|reboot", "why the init exited"},
      {"lock-fd", 0, true, false, "N", "the container lock, inherited"},
      {"listener-fd", 0, true, false, "N", "the control socket, kept for a restart"},
      {"hold-fd", 0, true, true, "N", "a connection to close once the container is released"},
      {"exit-code", 0, true, false, "N", "the init's exit status"},
      {"exit-signal", 0, true, false, "N", "the signal that killed the init"},
      {"ran-ms", 0, true, false, "MS", "how long the init ran"},
      {"console-tail-fd", 0, true, false, "N", "a memfd with the console's last bytes"},
      {"namespace-fd", 0, true, true, "N", "a namespace of the init, for the stop hook"},
      {"log-file", 0, true, false, "FILE", "the start's log (lxc.log.file)"},
      {"log-level", 0, true, false, "LEVEL", "its level (lxc.log.level)"},
      {"log-rootfs", 0, true, false, "DIR", "the rootfs a log inside it is confined to"},
  });
  return kOptions;
}

// An fd number given to __monitor-end, owned from now on and close-on-exec.
Result<UniqueFd> AdoptFd(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
    return PlainError("expected a file descriptor number, not \"" + text + "\"");
  }
  int fd = std::stoi(text);
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) return ErrnoError("file descriptor " + text);
  return UniqueFd(fd);
}

// The monitor's stdio is /dev/null: what goes wrong at the end is logged
// (lxc.log.file).
int FailEnd(const Error& error) {
  log::Error("stop", error.ToString());
  return FailWith(kMonitorEndCommand, error);
}

// The references the stop hook gets to the namespaces the monitor held:
// the type from the fd's link ("net:[4026532008]"), the fd by its path.
std::vector<security::NamespaceReference> NamespaceReferences(const std::vector<UniqueFd>& namespaces) {
  std::vector<security::NamespaceReference> references;
  for (const UniqueFd& ns : namespaces) {
    std::string path = "/proc/" + std::to_string(getpid()) + "/fd/" + std::to_string(ns.get());
    char link[64];
    ssize_t n = readlink(path.c_str(), link, sizeof link - 1);
    std::string_view target(link, n > 0 ? n : 0);
    if (target.find(':') == std::string_view::npos) continue;
    references.push_back({std::string(target.substr(0, target.find(':'))), path});
  }
  return references;
}

// The log the start wrote to, as its plan named it: the end does not read
// the config.
void OpenStartLog(const ParsedArgs& parsed, const std::string& name) {
  if (!parsed.Has("log-file")) return;
  log::LogPlan plan;
  plan.file = parsed.Value("log-file");
  auto level = log::ParseLevel(parsed.Value("log-level", "ERROR"));
  plan.level = level.ok() ? *level : log::Level::kError;
  plan.name = name;
  plan.rootfs = parsed.Value("log-rootfs");
  (void)log::OpenLog(plan);
}

std::vector<UniqueFd> AdoptFds(const std::vector<std::string>& numbers) {
  std::vector<UniqueFd> fds;
  for (const std::string& number : numbers) {
    auto adopted = AdoptFd(number);
    if (adopted.ok()) fds.push_back(std::move(*adopted));
  }
  return fds;
}

// A number option of the monitor's; `fallback` when absent or malformed.
int64_t NumberOr(const ParsedArgs& parsed, const std::string& option, int64_t fallback) {
  std::string text = parsed.Value(option);
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return fallback;
  return std::stoll(text);
}

// The console's last bytes (at most what the record keeps), from the memfd
// uxc-monitor filled with its ring.
std::string ConsoleTail(const ParsedArgs& parsed) {
  if (!parsed.Has("console-tail-fd")) return "";
  auto fd = AdoptFd(parsed.Value("console-tail-fd"));
  struct stat st;
  if (!fd.ok() || fstat(fd->get(), &st) != 0) return "";
  off_t from = std::max<off_t>(0, st.st_size - static_cast<off_t>(lifecycle::kMostConsoleTail));
  std::string tail(static_cast<size_t>(st.st_size - from), '\0');
  ssize_t n = pread(fd->get(), tail.data(), tail.size(), from);
  tail.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return tail;
}

// Writes the record of the exit into the container's directory (last_exit.h).
void RecordExit(const ParsedArgs& parsed, const lifecycle::ContainerRef& ref, bool reboot) {
  lifecycle::LastExit exit;
  exit.ended = time(nullptr);
  exit.ran_ms = NumberOr(parsed, "ran-ms", -1);
  exit.signal = static_cast<int>(NumberOr(parsed, "exit-signal", 0));
  exit.exit_code = exit.signal > 0 ? -1 : static_cast<int>(NumberOr(parsed, "exit-code", 0) & 0xff);
  exit.reboot = reboot;
  Status recorded = lifecycle::RecordLastExit(ref.container_dir, exit, ConsoleTail(parsed));
  if (!recorded.ok()) log::Warn("stop", "the record of the init's exit: " + recorded.error().ToString());
}

// A reboot plans the start again from the config, as LXC does; before the
// old container is released, so that the state file is gone only briefly.
Result<DetachedStart> PrepareRestart(const lifecycle::ContainerRef& ref, const ParsedArgs& parsed) {
  UXC_ASSIGN_OR_RETURN(config::ToolSettings settings, config::LoadToolSettings(config::CurrentToolEnvironment()));
  return PrepareDetachedStart(ref, parsed.Values("define"), settings);
}

// Starts the container again in this process and becomes its monitor;
// returns only the error.
Error Restart(const lifecycle::ContainerRef& ref, const DetachedStart& start, int lock_fd, UniqueFd listener) {
  UXC_ASSIGN_OR_RETURN(lifecycle::MonitorRequest monitor, MonitorRequestFor(ref, start));
  return lifecycle::RestartInPlace(monitor, lock_fd, std::move(listener));
}

// How long a client that connected while the container rebooted may take
// to send its request (it sends it right after connecting).
constexpr int kPendingRequestMs = 500;

}  // namespace

int RunMonitorEnd(const std::vector<std::string>& args) {
  auto parsed = ParseArgs(kMonitorEndCommand, EndOptions(), args);
  if (!parsed.ok()) return FailEnd(parsed.error());
  auto lock = AdoptFd(parsed->Value("lock-fd"));
  if (!lock.ok()) return FailEnd(lock.error());
  std::vector<UniqueFd> held = AdoptFds(parsed->Values("hold-fd"));
  lifecycle::StopContext stop;
  stop.namespace_fds = AdoptFds(parsed->Values("namespace-fd"));
  stop.namespaces = NamespaceReferences(stop.namespace_fds);
  UniqueFd listener;
  if (parsed->Has("listener-fd")) {
    auto adopted = AdoptFd(parsed->Value("listener-fd"));
    if (adopted.ok()) listener = std::move(*adopted);
  }
  stop.target = parsed->Value("target", "stop");
  bool reboot = stop.target == "reboot";
  auto ref = NamedContainer(*parsed, kMonitorEndCommand);
  if (!ref.ok()) return FailEnd(ref.error());
  if (parsed->Has("rcfile")) ref->config_file = parsed->Value("rcfile");
  OpenStartLog(*parsed, ref->name);
  log::Info("stop", reboot ? "the init rebooted: the container starts again" : "the init exited: the container stops");
  // A halt or stop asked for while the init rebooted cancels the restart.
  lifecycle::PendingRequests pending;
  if (reboot && listener) pending = lifecycle::TakePendingRequests(listener.get(), kPendingRequestMs);
  bool restart = reboot && !pending.stop;
  if (reboot && pending.stop) log::Info("stop", "a stop came during the reboot: the container stays stopped");
  std::optional<DetachedStart> again;
  if (restart) {
    auto prepared = PrepareRestart(*ref, *parsed);
    if (!prepared.ok()) FailEnd(prepared.error());
    if (prepared.ok()) again = std::move(*prepared);
  }
  restart = again.has_value();
  RecordExit(*parsed, *ref, restart);
  Status released = lifecycle::ReleaseRecorded(
      ref->paths.dir, stop, restart ? lifecycle::ReleaseScope::kKeepRuntimeFiles : lifecycle::ReleaseScope::kAll);
  if (!released.ok()) FailEnd(released.error());
  if (!restart) {
    lifecycle::RemoveRuntimeFiles(ref->paths);  // a dir the record did not name, as after a lost record
    held.clear();  // clients waiting for the end see EOF now
    return released.ok() ? 0 : 1;
  }
  // The socket stays, served again by the new monitor: a client that
  // connects meanwhile waits for it. Without a state file `uxc ls` says
  // STOPPED until the container runs again.
  unlink(ref->paths.state.c_str());
  held.clear();
  pending.clients.clear();
  Error failed = Restart(*ref, *again, lock->get(), std::move(listener));
  lifecycle::StopContext none;
  (void)lifecycle::ReleaseRecorded(ref->paths.dir, none);
  lifecycle::RemoveRuntimeFiles(ref->paths);  // the socket, with its listener gone
  return FailEnd(failed);
}

}  // namespace uxc::cli

#include "launcher/lifecycle/foreground_run.h"

#include <unistd.h>

#include <optional>

#include "launcher/engine/foreground.h"
#include "launcher/lifecycle/console_log.h"
#include "launcher/lifecycle/console_ring.h"
#include "launcher/lifecycle/foreground_control.h"
#include "launcher/lifecycle/last_exit.h"
#include "launcher/lifecycle/release.h"
#include "launcher/lifecycle/runtime_dir.h"
#include "launcher/engine/log.h"

namespace uxc::lifecycle {
namespace {

// The console and the payload's pty go to the foreground wait. The user's
// terminal (stdin a terminal) becomes the console of a system container
// whose init is on it, as lxc-start -F gives it: raw, what the user types
// to the console, the console's output to the terminal, its size the
// terminal's.
void AttachConsole(const launcher::StartPlan& plan, launcher::StartedContainer& started,
                   launcher::ForegroundConsole& console) {
  console.own_session = true;
  if (started.terminal) console.terminal = launcher::TerminalRelay(std::move(started.terminal));
  if (!plan.console.has_console) return;
  console.peer = std::move(started.console_peer);
  if (plan.init_on_console && isatty(STDIN_FILENO) == 1) {
    console.terminal = launcher::TerminalRelay(std::move(started.ptys[0]),
                                               [&console](std::string_view bytes) { console.Keep(bytes); });
    console.terminal.Resize();
    return;
  }
  console.multiplexer = started.ptys[0].get();
}

// Opened before the start, so that a log that cannot be opened safely
// (say, in a rootfs directory the container made a symlink) stops it.
Result<ConsoleLog> OpenConsoleLog(const PreparedStart& start) {
  const auto& settings = start.host.console_log;
  if (!settings || !start.child.console.has_console) return ConsoleLog();
  return ConsoleLog::Open(settings->path, settings->limit, settings->rotate, settings->rootfs);
}

// A start that failed releases what it had recorded (its intents).
Error ReleaseFailed(AcquiredLog& record, Error error) {
  StopContext stop;
  (void)ReleaseAcquired(record.record(), record.path(), stop);
  return error;
}

}  // namespace

Result<int> RunInForeground(const PreparedStart& start, AcquiredLog& record, const ForegroundCallbacks& callbacks) {
  UXC_RETURN_IF_ERROR(log::OpenLog(start.child.log));
  Status before = BeforeClone(start, record);
  if (!before.ok()) return ReleaseFailed(record, before.take_error());
  auto console_log = OpenConsoleLog(start);
  if (!console_log.ok()) return ReleaseFailed(record, console_log.take_error());
  ConsoleRing ring(kMostConsoleTail);
  launcher::ForegroundConsole console;
  console.keep = [&console_log, &ring](std::string_view bytes) {
    if (console_log->is_open()) (void)console_log->Write(bytes);
    ring.Append(bytes);
  };
  launcher::ForwardedSignals signals = launcher::ForwardedSignals::Block();
  auto started = CloneAndConfirm(start, record, signals);
  if (!started.ok()) {
    signals.Restore();
    return ReleaseFailed(record, started.take_error());
  }
  int64_t started_ms = MonotonicMs();
  StopContext stop;
  if (!start.host.stop_hooks.values.empty()) {
    stop.namespaces = launcher::OpenNamespaces(started->init.pid, &stop.namespace_fds);
  }
  std::optional<ForegroundControl> control;
  if (UniqueFd listener = callbacks.control_socket ? callbacks.control_socket() : UniqueFd()) {
    ForegroundSignals stop_signals{start.host.monitor.halt_signal, start.host.monitor.stop_signal};
    control.emplace(std::move(listener), started->init.pidfd.get(), started->init.pid, stop_signals, ring);
  }
  if (callbacks.on_running) callbacks.on_running(started->init.pid);
  AttachConsole(start.child, *started, console);
  auto exit = launcher::WaitInForeground(started->init.pidfd.get(), signals, &console,
                                         control ? &*control : nullptr);
  int64_t ran_ms = MonotonicMs() - started_ms;
  signals.Restore();
  if (exit.ok()) log::Info("stop", "the init exited with status " + std::to_string(launcher::ShellStatus(*exit)));
  Status released = ReleaseAcquired(record.record(), record.path(), stop);
  if (!exit.ok()) return exit.take_error();
  if (callbacks.on_exit) {
    std::string tail(ring.older());
    tail.append(ring.newer());
    std::vector<UniqueFd> connections = control ? control->server().TakeConnections() : std::vector<UniqueFd>();
    bool stop_requested = control && control->stop_requested();
    callbacks.on_exit({*exit, ran_ms, std::move(tail), stop_requested, std::move(connections)});
  }
  if (!released.ok()) return released.take_error();
  return launcher::ShellStatus(*exit);
}

Result<int> RunContainer(ContainerRun run, const config::ToolSettings& settings) {
  std::string name = run.input.request.name;
  UXC_ASSIGN_OR_RETURN(std::unique_ptr<PreparedStart> start, PrepareStart(std::move(run.input), settings));
  AcquiredLog record;
  if (!name.empty()) {
    UXC_ASSIGN_OR_RETURN(std::string base, EnsureRuntimeBase());
    RuntimePaths paths = PathsFor(base, name);
    ReleaseAbandoned(paths, name);  // the caller holds the container lock
    UXC_ASSIGN_OR_RETURN(record, AcquiredLog::Open(paths));
  }
  return RunInForeground(*start, record, run.callbacks);
}

}  // namespace uxc::lifecycle

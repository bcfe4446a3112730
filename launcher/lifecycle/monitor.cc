#include "launcher/lifecycle/monitor.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "launcher/engine/foreground.h"
#include "launcher/lifecycle/acquired_log.h"
#include "launcher/engine/helper_path.h"
#include "launcher/lifecycle/console_log.h"
#include "launcher/lifecycle/control_socket.h"
#include "launcher/lifecycle/monitor_args.h"
#include "launcher/lifecycle/release.h"
#include "launcher/lifecycle/state.h"
#include "launcher/engine/self_binary.h"
#include "launcher/engine/start.h"

extern char** environ;

namespace uxc::lifecycle {
namespace {

void AbortAt(const char* step) {
  const char* wanted = std::getenv(kAbortAtEnv);
  if (wanted != nullptr && std::string(wanted) == step) kill(getpid(), SIGKILL);
}

// What uxc-monitor gets: the started container's fds, the socket, the lock,
// the console log and the report pipe, by number.
MonitorArgs ArgsFor(const MonitorRequest& request, const launcher::StartedContainer& started, int64_t started_ms,
                    int listener, int lock_fd, const ConsoleLog& console_log, int report,
                    const std::vector<UniqueFd>& namespaces) {
  const launcher::HostPlan& host = request.start->host;
  MonitorArgs args;
  args.name = request.name;
  args.runtime_dir = request.paths.dir;
  args.init_pid = started.init.pid;
  args.init_pidfd = started.init.pidfd.get();
  size_t first_tty = 0;
  if (request.start->child.console.has_console && !started.ptys.empty()) {
    args.console = started.ptys[0].get();
    args.console_peer = started.console_peer.get();
    first_tty = 1;
  }
  for (size_t i = first_tty; i < started.ptys.size(); ++i) args.ttys.push_back(started.ptys[i].get());
  args.listener = listener;
  args.lock = lock_fd;
  if (console_log.is_open()) {
    const launcher::ConsoleLogSettings* settings = &*host.console_log;
    args.console_log = console_log.fd();
    args.console_log_dir = console_log.dir_fd();
    args.console_log_path = settings->path;
    args.console_log_size = settings->limit;
    args.console_log_rotate = settings->rotate;
  }
  args.report = report;
  for (const UniqueFd& ns : namespaces) args.namespaces.push_back(ns.get());
  args.ring_size = host.monitor.ring_size;
  args.started_ms = started_ms;
  args.halt_signal = host.monitor.halt_signal;
  args.reboot_signal = host.monitor.reboot_signal;
  args.stop_signal = host.monitor.stop_signal;
  args.end_command = request.end_command;
  return args;
}

// Opened before the start, so that a log the start cannot open safely (say,
// in a rootfs directory the container made a symlink) stops it with why.
Result<ConsoleLog> OpenConsoleLog(const launcher::HostPlan& host) {
  const auto& settings = host.console_log;
  if (!settings) return ConsoleLog();
  return ConsoleLog::Open(settings->path, settings->limit, settings->rotate, settings->rootfs);
}

// Execs uxc-monitor with `args`; the fds it names stay open across the exec.
Error ExecMonitor(const std::string& binary, const MonitorArgs& args) {
  for (int fd : args.Fds()) fcntl(fd, F_SETFD, 0);
  std::vector<std::string> command = FormatMonitorArgs(args);
  command.insert(command.begin(), "uxc-monitor");
  std::vector<char*> argv;
  for (std::string& arg : command) argv.push_back(arg.data());
  argv.push_back(nullptr);
  execve(binary.c_str(), argv.data(), environ);
  Error error = ErrnoError("exec the monitor " + binary);
  for (int fd : args.Fds()) fcntl(fd, F_SETFD, FD_CLOEXEC);
  return error;
}

int64_t RealtimeMs() {
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return int64_t{now.tv_sec} * 1000 + now.tv_nsec / 1000000;
}

// The control socket: a new one, or the one a restart inherits (whose
// clients, queued while the container restarted, the new monitor serves).
Result<UniqueFd> Listener(const MonitorRequest& request, UniqueFd inherited) {
  if (inherited) return inherited;
  return ListenControlSocket(request.paths.socket);
}

// The started container's part of the monitor's work: the socket, the
// state file (the runtime files confirmed in the record), the exec of
// uxc-monitor. Returns only the error; the init is gone by then.
Error BecomeMonitor(const MonitorRequest& request, AcquiredLog& record, launcher::StartedContainer& started,
                    const ConsoleLog& console_log, int lock_fd, int report, UniqueFd inherited_listener) {
  int64_t started_ms = RealtimeMs();
  AbortAt("after-start");
  auto fail = [&started](Error error) {
    launcher::DiscardInit(started.init);
    return error;
  };
  auto listener = Listener(request, std::move(inherited_listener));
  if (!listener.ok()) return fail(listener.take_error());
  AbortAt("after-socket");
  ContainerState state{request.name, started.init.pid, getpid(), request.config_file, time(nullptr)};
  Status written = WriteStateFile(request.paths.state, state);
  if (written.ok()) written = record.Confirm(AcquiredKind::kRuntimeFiles);
  AbortAt("after-state");
  if (!written.ok()) return fail(written.take_error());
  std::vector<UniqueFd> namespaces;
  if (!request.start->host.stop_hooks.values.empty()) launcher::OpenNamespaces(started.init.pid, &namespaces);
  return fail(ExecMonitor(request.monitor_binary, ArgsFor(request, started, started_ms, listener->get(), lock_fd,
                                                          console_log, report, namespaces)));
}

// The monitor's work up to the exec of uxc-monitor: the record, the
// concerns' slots and pre-start hooks, the start, the socket and the state
// file. Returns only the error, once what the record holds is released.
Error StartAndBecomeMonitor(const MonitorRequest& request, int lock_fd, int report, UniqueFd inherited_listener,
                            pid_t waiting_launcher = 0) {
  const PreparedStart& start = *request.start;
  UXC_ASSIGN_OR_RETURN(AcquiredLog record, AcquiredLog::Open(request.paths));
  Error error = [&]() -> Error {
    UXC_RETURN_IF_ERROR(BeforeClone(start, record, waiting_launcher));
    UXC_ASSIGN_OR_RETURN(ConsoleLog console_log, OpenConsoleLog(start.host));
    AbortAt("before-start");
    launcher::ForwardedSignals signals = launcher::ForwardedSignals::Block();
    UXC_ASSIGN_OR_RETURN(launcher::StartedContainer started, CloneAndConfirm(start, record, signals));
    return BecomeMonitor(request, record, started, console_log, lock_fd, report, std::move(inherited_listener));
  }();
  StopContext stop;
  (void)ReleaseAcquired(record.record(), record.path(), stop);
  return error;
}

void RedirectStdioToNull() {
  UniqueFd null(open("/dev/null", O_RDWR | O_CLOEXEC));
  for (int fd = 0; fd <= 2; ++fd) dup2(null.get(), fd);
}

// The monitor's body after fork. Reports the error on `report`; on success
// uxc-monitor reports "ok\n".
[[noreturn]] void RunMonitor(const MonitorRequest& request, int lock_fd, int report) {
  setsid();
  RedirectStdioToNull();
  std::string text = StartAndBecomeMonitor(request, lock_fd, report, UniqueFd(), getppid()).ToString();
  (void)!write(report, text.data(), text.size());
  _exit(1);
}

}  // namespace

Result<std::string> UxcBinary() { return launcher::UxcBinaryPath(); }

Result<std::string> MonitorBinary() {
  return launcher::FindInternalProgram("uxc-monitor", "the monitor that keeps a started container");
}

Result<MonitorLaunch> LaunchMonitor(const MonitorRequest& request, ContainerLock lock) {
  // The monitor inherits the lock's fd across fork; the lock lasts until the
  // monitor exits, whatever this process does.
  if (!lock.held()) return PlainError("start " + request.name + ": the container lock is not held");
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return ErrnoError("create the monitor's report pipe");
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  pid_t pid = fork();
  if (pid < 0) return ErrnoError("fork the monitor");
  if (pid == 0) {
    read_end.Reset();
    RunMonitor(request, lock.fd(), write_end.get());
  }
  write_end.Reset();
  std::string report;
  char buffer[512];
  for (;;) {
    ssize_t n = read(read_end.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    report.append(buffer, n);
  }
  if (report == kReportRunning) return MonitorLaunch{pid, false};
  // The monitor exits after a failed start, and once it released a
  // container whose init exited: reap it (it is our child).
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (report == kReportInitExited) return MonitorLaunch{pid, true};
  if (report.empty()) return PlainError("the monitor died while it started the container");
  return PlainError(report);
}

Error RestartInPlace(const MonitorRequest& request, int lock_fd, UniqueFd listener) {
  AbortAt("restart");
  // uxc-monitor ran with the forwarded signals blocked; the new init must
  // not inherit that mask (ForwardedSignals restores the mask it finds).
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  return StartAndBecomeMonitor(request, lock_fd, -1, std::move(listener));
}

}  // namespace uxc::lifecycle

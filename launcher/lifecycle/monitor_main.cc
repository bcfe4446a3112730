// uxc-monitor: what a container's monitor process becomes once the container
// runs. `uxc start` execs it with the fds it hands over (monitor_args.h); it
// is linked statically and holds nothing else, so that a monitor stays under
// 1 MiB resident (docs/lifecycle.md). When the init exits it execs
// `uxc __monitor-end` in the same process, which runs the stop hooks,
// releases the container and, after a reboot, starts it again.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "launcher/lifecycle/monitor_args.h"
#include "launcher/lifecycle/monitor_loop.h"
#include "launcher/lifecycle/runtime_paths.h"

extern char** environ;

namespace uxc::lifecycle {
namespace {

void SayError(const std::string& text) {
  std::string line = "uxc-monitor: " + text + "\n";
  (void)!write(STDERR_FILENO, line.data(), line.size());
}

// Closes every fd but stdio and `kept`, which become close-on-exec: nothing
// the starting process left open by mistake stays with the container.
void KeepOnly(std::vector<int> kept) {
  kept.push_back(STDERR_FILENO);
  std::sort(kept.begin(), kept.end());
  unsigned int next = STDERR_FILENO + 1;
  for (int fd : kept) {
    if (fd < static_cast<int>(next)) continue;
    if (static_cast<unsigned int>(fd) > next) close_range(next, fd - 1, 0);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    next = fd + 1;
  }
  close_range(next, ~0U, 0);
}

void ClearCloseOnExec(int fd) { fcntl(fd, F_SETFD, 0); }

// How long `uxc start` waits, once the init runs, before it calls the start
// a success: an init that exits within it (a missing library, a script
// that fails at once) fails the start instead (docs/lifecycle.md).
constexpr int64_t kStartSettleMs = 300;

int64_t RealtimeMs() {
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  return int64_t{now.tv_sec} * 1000 + now.tv_nsec / 1000000;
}

// A memfd holding `bytes`, for `uxc __monitor-end` to keep; -1 when none.
int MemoryFileWith(const std::string& bytes) {
  if (bytes.empty()) return -1;
  int fd = memfd_create("uxc-console-tail", MFD_CLOEXEC);
  if (fd < 0) return -1;
  if (write(fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    close(fd);
    return -1;
  }
  return fd;
}

MonitorHandles HandlesFrom(const MonitorArgs& args) {
  MonitorHandles handles;
  handles.init_pid = args.init_pid;
  handles.init_pidfd = UniqueFd(args.init_pidfd);
  handles.has_console = args.console >= 0;
  if (handles.has_console) handles.ptys.emplace_back(args.console);
  for (int tty : args.ttys) handles.ptys.emplace_back(tty);
  handles.console_peer = UniqueFd(args.console_peer);
  handles.listener = UniqueFd(args.listener);
  if (args.console_log >= 0) {
    std::string name = args.console_log_path.substr(args.console_log_path.rfind('/') + 1);
    handles.console_log = ConsoleLog(UniqueFd(args.console_log), ParentDir{UniqueFd(args.console_log_dir), name},
                                     args.console_log_path, args.console_log_size, args.console_log_rotate);
  }
  handles.ring_size = args.ring_size;
  handles.report = UniqueFd(args.report);
  handles.settle_ms = kStartSettleMs;
  handles.halt_signal = args.halt_signal;
  handles.reboot_signal = args.reboot_signal;
  handles.stop_signal = args.stop_signal;
  return handles;
}

// The init has exited: hands the lock, the connections (the listener
// first), the console's tail and the namespaces to `uxc __monitor-end`.
// Should that exec fail, releases what it can itself.
[[noreturn]] void End(const MonitorArgs& args, InitEnd end, const std::vector<UniqueFd>& connections) {
  for (const UniqueFd& fd : connections) {
    ClearCloseOnExec(fd.get());
    if (fd.get() == args.listener) {
      end.listener = fd.get();
    } else {
      end.held.push_back(fd.get());
    }
  }
  if (end.console_tail >= 0) ClearCloseOnExec(end.console_tail);
  ClearCloseOnExec(args.lock);
  for (int fd : args.namespaces) ClearCloseOnExec(fd);
  std::vector<std::string> command = FormatEndCommand(args, end);
  std::vector<char*> argv;
  for (std::string& arg : command) argv.push_back(arg.data());
  argv.push_back(nullptr);
  execve(argv[0], argv.data(), environ);
  SayError(ErrnoError("exec " + command[0]).ToString());
  RemoveRuntimeFiles(PathsIn(args.runtime_dir));
  _exit(1);
}

int Main(int argc, char** argv) {
  auto args = ParseMonitorArgs(std::vector<std::string_view>(argv + 1, argv + argc));
  if (!args.ok()) {
    SayError(args.error().ToString() + "; uxc-monitor is started by `uxc start`, not by hand");
    return 2;
  }
  KeepOnly(args->Fds());
  auto loop = std::make_unique<MonitorLoop>(HandlesFrom(*args));
  siginfo_t exit = loop->Serve();
  InitEnd end;
  if (args->started_ms > 0) end.ran_ms = std::max<int64_t>(0, RealtimeMs() - args->started_ms);
  bool killed = exit.si_code == CLD_KILLED || exit.si_code == CLD_DUMPED;
  end.exit_code = killed ? -1 : exit.si_status;
  end.exit_signal = killed ? exit.si_status : 0;
  // reboot(2) in a pid namespace kills its init with SIGHUP; poweroff and
  // halt with SIGINT (reboot(2), pid_namespaces(7)).
  end.reboot = killed && exit.si_status == SIGHUP && !loop->stop_requested();
  end.console_tail = MemoryFileWith(loop->ConsoleTail());
  std::vector<UniqueFd> connections = loop->TakeConnections();
  loop.reset();  // the ptys, the console's peer and the log
  End(*args, end, connections);
}

}  // namespace
}  // namespace uxc::lifecycle

int main(int argc, char** argv) { return uxc::lifecycle::Main(argc, argv); }

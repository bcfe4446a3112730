// uxc-monitor: what a container's monitor process becomes once the container
// runs. `uxc start` execs it with the fds it hands over (monitor_args.h); it
// is linked statically and holds nothing else, so that a monitor stays under
// 1 MiB resident (docs/lifecycle.md). When the init exits it execs
// `uxc __monitor-end` in the same process, which runs the stop hooks,
// releases the container and, after a reboot, starts it again.
#include <fcntl.h>
#include <sys/wait.h>
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
  handles.halt_signal = args.halt_signal;
  handles.reboot_signal = args.reboot_signal;
  handles.stop_signal = args.stop_signal;
  return handles;
}

// The init has exited: hands the lock, the connections and the namespaces
// to `uxc __monitor-end`. Should that exec fail, releases what it can itself.
[[noreturn]] void End(const MonitorArgs& args, bool reboot, const std::vector<UniqueFd>& connections) {
  std::vector<int> held;
  for (const UniqueFd& fd : connections) {
    ClearCloseOnExec(fd.get());
    held.push_back(fd.get());
  }
  ClearCloseOnExec(args.lock);
  for (int fd : args.namespaces) ClearCloseOnExec(fd);
  std::vector<std::string> command = FormatEndCommand(args, reboot, held);
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
  if (args->report >= 0) {
    (void)!write(args->report, "ok\n", 3);
    close(args->report);
  }
  siginfo_t exit = loop->Serve();
  std::vector<UniqueFd> connections = loop->TakeConnections();
  loop.reset();  // the ptys, the console's peer and the log
  // reboot(2) in a pid namespace kills its init with SIGHUP; poweroff and
  // halt with SIGINT (reboot(2), pid_namespaces(7)).
  bool rebooted = exit.si_code == CLD_KILLED && exit.si_status == SIGHUP;
  End(*args, rebooted, connections);
}

}  // namespace
}  // namespace uxc::lifecycle

int main(int argc, char** argv) { return uxc::lifecycle::Main(argc, argv); }

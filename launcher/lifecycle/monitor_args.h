// The command line `uxc start` gives the small `uxc-monitor` binary it execs
// once the container runs: the fds the monitor takes over, by number, and the
// little else it needs. After "--" comes the `uxc` command the monitor execs
// when the init exits (cli/monitor_end.h), to which it adds the target and the
// fds it hands on.
//   uxc-monitor --name NAME --runtime-dir DIR --init-pid PID --init-pidfd FD
//               [--console FD --console-peer FD] [--tty FD]... --listener FD
//               --lock FD [--console-log FD --console-log-dir FD --console-log-path PATH
//               [--console-log-size BYTES] [--console-log-rotate 0|1]]
//               [--report FD] [--namespace FD]... [--started-ms MS]
//               --ring-size BYTES
//               --halt-signal N --reboot-signal N --stop-signal N -- UXC ARGS...
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace uxc::lifecycle {

struct MonitorArgs {
  std::string name;
  std::string runtime_dir;  // .../uxc/NAME: RuntimePaths from PathsIn()
  pid_t init_pid = 0;
  int init_pidfd = -1;
  int console = -1;       // the console's multiplexer; -1: the container has none
  int console_peer = -1;  // held open (console.h)
  std::vector<int> ttys;  // the multiplexers of tty1..ttyN
  int listener = -1;      // the control socket, listening
  int lock = -1;          // the container lock
  int console_log = -1;   // lxc.console.logfile, open for appending; -1: none
  int console_log_dir = -1;       // its directory (O_PATH), to rotate it by fd
  std::string console_log_path;   // its path, for messages; the name after its last "/"
  uint64_t console_log_size = 0;  // lxc.console.size; 0: no limit
  bool console_log_rotate = false;  // lxc.console.rotate
  int report = -1;        // `uxc start`'s report pipe: "ok\n" once serving; -1: none
  // The init's namespaces, held for the stop hook (lxc.hook.stop) so that
  // they outlive the init until it runs.
  std::vector<int> namespaces;
  size_t ring_size = 0;
  // When the init started (CLOCK_REALTIME, ms), for how long it ran; 0: unknown.
  int64_t started_ms = 0;
  int halt_signal = 0;
  int reboot_signal = 0;
  int stop_signal = 0;
  std::vector<std::string> end_command;  // argv, absolute program path first

  // Every fd above, for the monitor to keep (and close all others).
  std::vector<int> Fds() const;
};

std::vector<std::string> FormatMonitorArgs(const MonitorArgs& args);

// What uxc-monitor writes on the report pipe: the init runs (and has run
// for a moment), or it exited first and the start failed.
inline constexpr char kReportRunning[] = "ok\n";
inline constexpr char kReportInitExited[] = "exited\n";

// How the init ended, as the monitor hands it on.
struct InitEnd {
  // The init rebooted (killed by SIGHUP: it called reboot(2),
  // pid_namespaces(7)) and no stop was asked for since the last reboot.
  bool reboot = false;
  int exit_code = -1;   // its exit status, or -1 when a signal killed it
  int exit_signal = 0;  // the signal that killed it, or 0
  int64_t ran_ms = -1;  // how long it ran; -1: unknown
  int listener = -1;    // the control socket, handed on to a restart
  std::vector<int> held;  // the clients' connections, closed at the release
  int console_tail = -1;  // a memfd with the console's last bytes; -1: none
};

// The command the monitor execs when the init exits: `end_command` with
// "--target reboot|stop", "--lock-fd N", "--exit-code N" or "--exit-signal
// N", "--ran-ms MS", "--listener-fd N", a "--hold-fd N" for each connection
// to hold until the container is released, "--console-tail-fd N" and a
// "--namespace-fd N" for each of `args.namespaces`.
std::vector<std::string> FormatEndCommand(const MonitorArgs& args, const InitEnd& end);

// Parses the arguments after the program name. Errors name the argument and
// what is wrong; a fd given twice is an error.
Result<MonitorArgs> ParseMonitorArgs(const std::vector<std::string_view>& args);

}  // namespace uxc::lifecycle

// The command line `uxc start` gives the small `uxc-monitor` binary it execs
// once the container runs: the fds the monitor takes over, by number, and the
// little else it needs. After "--" comes the `uxc` command the monitor execs
// when the init exits (cli/monitor_end.h), to which it adds the target and the
// fds it hands on.
//   uxc-monitor --name NAME --runtime-dir DIR --init-pid PID --init-pidfd FD
//               [--console FD --console-peer FD] [--tty FD]... --listener FD
//               --lock FD [--console-log FD --console-log-dir FD --console-log-path PATH
//               [--console-log-size BYTES] [--console-log-rotate 0|1]]
//               [--report FD] [--namespace FD]...
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
  int halt_signal = 0;
  int reboot_signal = 0;
  int stop_signal = 0;
  std::vector<std::string> end_command;  // argv, absolute program path first

  // Every fd above, for the monitor to keep (and close all others).
  std::vector<int> Fds() const;
};

std::vector<std::string> FormatMonitorArgs(const MonitorArgs& args);

// The command the monitor execs when the init exits: `end_command` with
// "--target reboot" (the init was killed by SIGHUP: it called reboot(2),
// pid_namespaces(7)) or "--target stop", "--lock-fd N", a "--hold-fd N"
// for each connection to hold until the container is released and a
// "--namespace-fd N" for each of `args.namespaces`.
std::vector<std::string> FormatEndCommand(const MonitorArgs& args, bool reboot, const std::vector<int>& held);

// Parses the arguments after the program name. Errors name the argument and
// what is wrong; a fd given twice is an error.
Result<MonitorArgs> ParseMonitorArgs(const std::vector<std::string_view>& args);

}  // namespace uxc::lifecycle

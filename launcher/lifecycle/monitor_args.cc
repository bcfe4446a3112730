#include "launcher/lifecycle/monitor_args.h"

#include <signal.h>

#include <algorithm>
#include <charconv>

#include "base/text.h"
#include "config/container_name.h"

namespace uxc::lifecycle {
namespace {

Status ParseFd(std::string_view option, std::string_view value, int* fd) {
  if (!ParseNumber(value, fd) || *fd < 0) {
    return PlainError(std::string(option) + " takes a file descriptor number, not \"" + std::string(value) + "\"");
  }
  return OkStatus();
}

Status ParseSignalNumber(std::string_view option, std::string_view value, int* signal) {
  if (!ParseNumber(value, signal) || *signal < 1 || *signal > SIGRTMAX) {
    return PlainError(std::string(option) + " takes a signal number, not \"" + std::string(value) + "\"");
  }
  return OkStatus();
}

Status Apply(std::string_view option, std::string_view value, MonitorArgs& args) {
  if (option == "--name") {
    args.name = value;
  } else if (option == "--runtime-dir") {
    args.runtime_dir = value;
  } else if (option == "--init-pid") {
    if (!ParseNumber(value, &args.init_pid) || args.init_pid <= 0) {
      return PlainError("--init-pid takes a process id, not \"" + std::string(value) + "\"");
    }
  } else if (option == "--ring-size") {
    if (!ParseNumber(value, &args.ring_size)) {
      return PlainError("--ring-size takes a size in bytes, not \"" + std::string(value) + "\"");
    }
  } else if (option == "--started-ms") {
    if (!ParseNumber(value, &args.started_ms) || args.started_ms < 0) {
      return PlainError("--started-ms takes milliseconds since the epoch, not \"" + std::string(value) + "\"");
    }
  } else if (option == "--init-pidfd") {
    return ParseFd(option, value, &args.init_pidfd);
  } else if (option == "--console") {
    return ParseFd(option, value, &args.console);
  } else if (option == "--console-peer") {
    return ParseFd(option, value, &args.console_peer);
  } else if (option == "--tty") {
    return ParseFd(option, value, &args.ttys.emplace_back());
  } else if (option == "--listener") {
    return ParseFd(option, value, &args.listener);
  } else if (option == "--lock") {
    return ParseFd(option, value, &args.lock);
  } else if (option == "--console-log") {
    return ParseFd(option, value, &args.console_log);
  } else if (option == "--console-log-dir") {
    return ParseFd(option, value, &args.console_log_dir);
  } else if (option == "--console-log-path") {
    args.console_log_path = value;
  } else if (option == "--console-log-size") {
    if (!ParseNumber(value, &args.console_log_size)) {
      return PlainError("--console-log-size takes a size in bytes, not \"" + std::string(value) + "\"");
    }
  } else if (option == "--console-log-rotate") {
    if (value != "0" && value != "1") {
      return PlainError("--console-log-rotate takes 0 or 1, not \"" + std::string(value) + "\"");
    }
    args.console_log_rotate = value == "1";
  } else if (option == "--report") {
    return ParseFd(option, value, &args.report);
  } else if (option == "--namespace") {
    return ParseFd(option, value, &args.namespaces.emplace_back());
  } else if (option == "--halt-signal") {
    return ParseSignalNumber(option, value, &args.halt_signal);
  } else if (option == "--reboot-signal") {
    return ParseSignalNumber(option, value, &args.reboot_signal);
  } else if (option == "--stop-signal") {
    return ParseSignalNumber(option, value, &args.stop_signal);
  } else {
    return PlainError("unknown option \"" + std::string(option) + "\"");
  }
  return OkStatus();
}

Status CheckComplete(const MonitorArgs& args) {
  if (args.name.empty() || args.runtime_dir.empty() || args.init_pid == 0 || args.init_pidfd < 0 ||
      args.listener < 0 || args.lock < 0 || args.halt_signal == 0 || args.reboot_signal == 0 ||
      args.stop_signal == 0) {
    return PlainError(
        "--name, --runtime-dir, --init-pid, --init-pidfd, --listener, --lock and the three signals are "
        "required");
  }
  UXC_RETURN_IF_ERROR(config::ValidateContainerName(args.name));
  if ((args.console < 0) != (args.console_peer < 0)) {
    return PlainError("--console and --console-peer go together");
  }
  if (args.end_command.empty() || !args.end_command[0].starts_with("/")) {
    return PlainError("the command after \"--\" must start with an absolute path to uxc");
  }
  if ((args.console_log < 0) != args.console_log_path.empty() ||
      (args.console_log < 0) != (args.console_log_dir < 0)) {
    return PlainError("--console-log, --console-log-dir and --console-log-path go together");
  }
  std::vector<int> fds = args.Fds();
  std::sort(fds.begin(), fds.end());
  if (std::adjacent_find(fds.begin(), fds.end()) != fds.end()) {
    return PlainError("file descriptor " + std::to_string(*std::adjacent_find(fds.begin(), fds.end())) +
                      " is given twice");
  }
  return OkStatus();
}

void AddOption(std::vector<std::string>& out, const char* option, const std::string& value) {
  out.push_back(option);
  out.push_back(value);
}

void AddFd(std::vector<std::string>& out, const char* option, int fd) {
  if (fd >= 0) AddOption(out, option, std::to_string(fd));
}

}  // namespace

std::vector<int> MonitorArgs::Fds() const {
  std::vector<int> fds = ttys;
  fds.insert(fds.end(), namespaces.begin(), namespaces.end());
  for (int fd : {init_pidfd, console, console_peer, listener, lock, console_log, console_log_dir, report}) {
    if (fd >= 0) fds.push_back(fd);
  }
  return fds;
}

std::vector<std::string> FormatMonitorArgs(const MonitorArgs& args) {
  std::vector<std::string> out;
  AddOption(out, "--name", args.name);
  AddOption(out, "--runtime-dir", args.runtime_dir);
  AddOption(out, "--init-pid", std::to_string(args.init_pid));
  AddFd(out, "--init-pidfd", args.init_pidfd);
  AddFd(out, "--console", args.console);
  AddFd(out, "--console-peer", args.console_peer);
  for (int tty : args.ttys) AddFd(out, "--tty", tty);
  AddFd(out, "--listener", args.listener);
  AddFd(out, "--lock", args.lock);
  AddFd(out, "--console-log", args.console_log);
  if (args.console_log >= 0) {
    AddFd(out, "--console-log-dir", args.console_log_dir);
    AddOption(out, "--console-log-path", args.console_log_path);
    AddOption(out, "--console-log-size", std::to_string(args.console_log_size));
    AddOption(out, "--console-log-rotate", args.console_log_rotate ? "1" : "0");
  }
  AddFd(out, "--report", args.report);
  for (int ns : args.namespaces) AddFd(out, "--namespace", ns);
  AddOption(out, "--ring-size", std::to_string(args.ring_size));
  if (args.started_ms > 0) AddOption(out, "--started-ms", std::to_string(args.started_ms));
  AddOption(out, "--halt-signal", std::to_string(args.halt_signal));
  AddOption(out, "--reboot-signal", std::to_string(args.reboot_signal));
  AddOption(out, "--stop-signal", std::to_string(args.stop_signal));
  out.push_back("--");
  out.insert(out.end(), args.end_command.begin(), args.end_command.end());
  return out;
}

std::vector<std::string> FormatEndCommand(const MonitorArgs& args, const InitEnd& end) {
  std::vector<std::string> out = args.end_command;
  AddOption(out, "--target", end.reboot ? "reboot" : "stop");
  AddFd(out, "--lock-fd", args.lock);
  if (end.exit_signal > 0) {
    AddOption(out, "--exit-signal", std::to_string(end.exit_signal));
  } else {
    AddOption(out, "--exit-code", std::to_string(end.exit_code));
  }
  if (end.ran_ms >= 0) AddOption(out, "--ran-ms", std::to_string(end.ran_ms));
  AddFd(out, "--listener-fd", end.listener);
  for (int fd : end.held) AddFd(out, "--hold-fd", fd);
  AddFd(out, "--console-tail-fd", end.console_tail);
  for (int fd : args.namespaces) AddFd(out, "--namespace-fd", fd);
  return out;
}

Result<MonitorArgs> ParseMonitorArgs(const std::vector<std::string_view>& args) {
  MonitorArgs parsed;
  size_t i = 0;
  for (; i < args.size() && args[i] != "--"; i += 2) {
    if (i + 1 == args.size()) return PlainError("option \"" + std::string(args[i]) + "\" has no value");
    UXC_RETURN_IF_ERROR(Apply(args[i], args[i + 1], parsed));
  }
  if (i < args.size()) parsed.end_command.assign(args.begin() + i + 1, args.end());
  UXC_RETURN_IF_ERROR(CheckComplete(parsed));
  return parsed;
}

}  // namespace uxc::lifecycle

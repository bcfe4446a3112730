#include "launcher/lifecycle/state.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>

#include "base/text.h"
#include "base/unique_fd.h"

namespace uxc::lifecycle {
namespace {

constexpr std::string_view kVersionLine = "uxc-state 1";

Error LineError(const std::string& origin, int line, const std::string& what) {
  return PlainError(origin + ":" + std::to_string(line) + ": " + what +
                    "; the state file is corrupt: stop the container with `uxc stop -k`, or remove the file "
                    "if no monitor runs");
}

Status ApplyLine(std::string_view key, std::string_view value, ContainerState& state, bool& ok) {
  ok = true;
  if (key == "name") {
    state.name = value;
  } else if (key == "config") {
    state.config_file = value;
  } else if (key == "init_pid") {
    ok = ParseNumber(value, &state.init_pid) && state.init_pid > 0;
  } else if (key == "monitor_pid") {
    ok = ParseNumber(value, &state.monitor_pid) && state.monitor_pid > 0;
  } else if (key == "started") {
    ok = ParseNumber(value, &state.started) && state.started >= 0;
  } else if (key == "foreground") {
    ok = value == "0" || value == "1";
    state.foreground = value == "1";
  } else {
    return PlainError("unknown key \"" + std::string(key) + "\"");
  }
  return OkStatus();
}

}  // namespace

std::string SerializeState(const ContainerState& state) {
  std::string text(kVersionLine);
  text += "\nname=" + state.name;
  text += "\ninit_pid=" + std::to_string(state.init_pid);
  text += "\nmonitor_pid=" + std::to_string(state.monitor_pid);
  text += "\nconfig=" + state.config_file;
  text += "\nstarted=" + std::to_string(state.started) + "\n";
  if (state.foreground) text += "foreground=1\n";
  return text;
}

Result<ContainerState> ParseState(std::string_view text, const std::string& origin) {
  ContainerState state;
  int line_number = 0;
  bool saw_version = false;
  while (!text.empty()) {
    size_t end = text.find('\n');
    if (end == std::string_view::npos) return LineError(origin, line_number + 1, "the last line is cut short");
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    ++line_number;
    if (!saw_version) {
      if (line != kVersionLine) return LineError(origin, line_number, "expected \"uxc-state 1\"");
      saw_version = true;
      continue;
    }
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) return LineError(origin, line_number, "expected key=value");
    std::string_view key = line.substr(0, equals);
    std::string_view value = line.substr(equals + 1);
    bool valid = true;
    Status applied = ApplyLine(key, value, state, valid);
    if (!applied.ok()) return LineError(origin, line_number, applied.error().message);
    if (!valid) return LineError(origin, line_number, "bad value for " + std::string(key));
  }
  if (!saw_version) return LineError(origin, 1, "the file is empty");
  if (state.name.empty() || state.init_pid == 0 || state.monitor_pid == 0) {
    return LineError(origin, line_number, "name, init_pid or monitor_pid is missing");
  }
  return state;
}

Result<ContainerState> ReadStateFile(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return ErrnoError("read the state file " + path);
  std::string text;
  char buffer[1024];
  for (;;) {
    ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("read the state file " + path);
    if (n == 0) break;
    text.append(buffer, n);
    if (text.size() > 64 * 1024) return PlainError(path + ": the state file is too large; it is corrupt");
  }
  return ParseState(text, path);
}

Status WriteStateFile(const std::string& path, const ContainerState& state) {
  std::string temporary = path + ".new";
  UniqueFd fd(open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) return ErrnoError("write the state file " + temporary);
  std::string text = SerializeState(state);
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd.get(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("write the state file " + temporary);
    done += n;
  }
  if (rename(temporary.c_str(), path.c_str()) != 0) return ErrnoError("rename " + temporary + " to " + path);
  return OkStatus();
}

}  // namespace uxc::lifecycle

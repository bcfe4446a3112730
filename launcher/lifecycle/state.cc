#include "launcher/lifecycle/state.h"

#include <fcntl.h>
#include <unistd.h>


#include "launcher/lifecycle/key_value_file.h"

namespace uxc::lifecycle {
namespace {

constexpr std::string_view kVersionLine = "uxc-state 1";
constexpr size_t kMostStateBytes = 64 * 1024;
constexpr char kCorrupt[] =
    "the state file is corrupt: stop the container with `uxc stop -k`, or remove the file if no monitor runs";

Status ApplyLine(std::string_view key, std::string_view value, ContainerState& state) {
  bool ok = true;
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
  if (!ok) return PlainError("bad value for " + std::string(key));
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
  UXC_ASSIGN_OR_RETURN(int lines, ParseKeyValueLines(
      text, origin, kVersionLine,
      [&](std::string_view key, std::string_view value) { return ApplyLine(key, value, state); }, kCorrupt));
  if (state.name.empty() || state.init_pid == 0 || state.monitor_pid == 0) {
    return PlainError(origin + ":" + std::to_string(lines) + ": name, init_pid or monitor_pid is missing; " +
                      kCorrupt);
  }
  return state;
}

Result<ContainerState> ReadStateFile(const std::string& path) {
  UXC_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path, kMostStateBytes, "the state file"));
  return ParseState(text, path);
}

Status WriteStateFile(const std::string& path, const ContainerState& state) {
  return WriteFileAtomically(path, SerializeState(state), "the state file");
}

}  // namespace uxc::lifecycle

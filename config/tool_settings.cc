#include "config/tool_settings.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "config/nearest_name.h"
#include "base/read_file.h"
#include "config/content_lines.h"

namespace uxc::config {
namespace {

struct Key {
  const char* name;
  std::string ToolSettings::*field;
  bool is_directory;
};

const Key kKeys[] = {
    {"uxc.container_path", &ToolSettings::container_path, true},
    {"uxc.newuidmap", &ToolSettings::newuidmap, false},
    {"uxc.newgidmap", &ToolSettings::newgidmap, false},
    {"uxc.user_nic", &ToolSettings::user_nic, false},
};

std::string GetEnv(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

std::string PasswdHome(uid_t uid) {
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size > 0 ? static_cast<size_t>(size) : 16384);
  struct passwd entry;
  struct passwd* found = nullptr;
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) return "";
  return found->pw_dir == nullptr ? "" : found->pw_dir;
}

Error LineError(const std::string& origin, int line, const std::string& what) {
  return PlainError(origin + ":" + std::to_string(line) + ": " + what);
}

Error UnknownKey(const std::string& origin, int line, std::string_view key) {
  std::vector<std::string> names;
  for (const Key& known : kKeys) names.push_back(known.name);
  std::string nearest = NearestName(key, names);
  if (nearest.empty()) nearest = NearestName("uxc." + std::string(key), names);
  std::string hint = nearest.empty() ? "" : "did you mean " + nearest + "? ";
  std::string all;
  for (const Key& known : kKeys) all += (all.empty() ? "" : ", ") + std::string(known.name);
  return LineError(origin, line, "unknown key " + Quoted(key) + ": " + hint + "uxc.conf knows " + all);
}

// "~/x" becomes HOME/x; anything else must already be absolute.
Result<std::string> ExpandPath(std::string_view value, const ToolEnvironment& env, const std::string& origin,
                               int line, std::string_view key) {
  if (value == "~" || value.starts_with("~/")) {
    if (env.home.empty()) {
      return LineError(origin, line, std::string(key) + " uses ~ but your home directory is unknown: set HOME");
    }
    return env.home + std::string(value.substr(1));
  }
  if (!value.starts_with("/")) {
    return LineError(origin, line, std::string(key) + " = " + Quoted(value) +
                                       " is not an absolute path: write it starting with / or ~/");
  }
  return std::string(value);
}

Status ApplyLine(std::string_view text, const std::string& origin, int line, const ToolEnvironment& env,
                 ToolSettings& settings) {
  size_t equals = text.find('=');
  if (equals == std::string_view::npos) {
    return LineError(origin, line, Quoted(text) + " is not a setting: write `key = value`, e.g. "
                                                 "`uxc.container_path = ~/containers`");
  }
  std::string_view key = Trim(text.substr(0, equals));
  std::string_view value = Trim(text.substr(equals + 1));
  for (const Key& known : kKeys) {
    if (key != known.name) continue;
    if (value.empty()) {
      (settings.*known.field).clear();
      return OkStatus();
    }
    UXC_ASSIGN_OR_RETURN(std::string path, ExpandPath(value, env, origin, line, key));
    settings.*known.field = std::move(path);
    return OkStatus();
  }
  return UnknownKey(origin, line, key);
}

Status FillDefaults(const ToolEnvironment& env, ToolSettings& settings) {
  bool needs_home = settings.container_path.empty() && env.xdg_data_home.empty();
  if (needs_home && env.home.empty()) {
    return WithHint(PlainError("cannot find your home directory (HOME is unset and uid " + std::to_string(env.uid) +
                               " has no passwd entry)"),
                    "set HOME, or set uxc.container_path in " + SystemToolSettingsPath(env));
  }
  if (settings.container_path.empty()) {
    settings.container_path =
        env.xdg_data_home.empty() ? env.home + "/.local/share/uxc" : env.xdg_data_home + "/uxc";
  }
  return OkStatus();
}

}  // namespace

ToolEnvironment CurrentToolEnvironment() {
  ToolEnvironment env;
  env.uid = getuid();
  env.home = GetEnv("HOME");
  if (env.home.empty()) env.home = PasswdHome(env.uid);
  env.xdg_config_home = GetEnv("XDG_CONFIG_HOME");
  env.xdg_data_home = GetEnv("XDG_DATA_HOME");
  return env;
}

std::string SystemToolSettingsPath(const ToolEnvironment& env) { return env.system_dir + "/uxc.conf"; }

std::string UserToolSettingsPath(const ToolEnvironment& env) {
  if (!env.xdg_config_home.empty()) return env.xdg_config_home + "/uxc/uxc.conf";
  return env.home.empty() ? "" : env.home + "/.config/uxc/uxc.conf";
}

Status ApplyToolSettingsText(std::string_view text, const std::string& origin, const ToolEnvironment& env,
                             ToolSettings& settings) {
  for (const ContentLine& line : ContentLines(text)) {
    UXC_RETURN_IF_ERROR(ApplyLine(line.text, origin, line.number, env, settings));
  }
  return OkStatus();
}

Result<ToolSettings> LoadToolSettings(const ToolEnvironment& env) {
  ToolSettings settings;
  for (const std::string& path : {SystemToolSettingsPath(env), UserToolSettingsPath(env)}) {
    if (path.empty()) continue;
    Result<std::string> text = ReadSmallFile(path);
    if (!text.ok() && text.error().errno_value == ENOENT) continue;
    if (!text.ok()) return text.take_error();
    UXC_RETURN_IF_ERROR(ApplyToolSettingsText(*text, path, env, settings));
  }
  UXC_RETURN_IF_ERROR(FillDefaults(env, settings));
  return settings;
}

}  // namespace uxc::config

#include "launcher/engine/environment.h"

#include "launcher/engine/config_keys.h"

extern char** environ;

namespace uxc::launcher {
namespace {

constexpr char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Sets KEY=VALUE, replacing an earlier KEY.
void Set(std::vector<std::string>& env, const std::string& key, const std::string& value) {
  std::string entry = key + "=" + value;
  for (std::string& existing : env) {
    if (existing.compare(0, key.size() + 1, key + "=") == 0) {
      existing = entry;
      return;
    }
  }
  env.push_back(entry);
}

}  // namespace

std::vector<std::string> CallerEnvironment() {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) env.emplace_back(*entry);
  return env;
}

std::optional<std::string> FindVariable(const std::vector<std::string>& env,
                                        const std::string& key) {
  for (const std::string& entry : env) {
    if (entry.size() > key.size() && entry.compare(0, key.size(), key) == 0 &&
        entry[key.size()] == '=') {
      return entry.substr(key.size() + 1);
    }
  }
  return std::nullopt;
}

Result<std::vector<std::string>> PlanEnvironment(const config::ContainerConfig& config,
                                                 const std::vector<std::string>& caller_env,
                                                 int tty_count, bool stdin_is_tty) {
  std::vector<std::string> env;
  std::vector<std::string> values = config.GetList("lxc.environment");
  for (const std::string& value : config.GetList("lxc.environment.runtime"))
    values.push_back(value);
  for (const std::string& value : values) {
    size_t equals = value.find('=');
    std::string key = value.substr(0, equals);
    if (key.empty() || key.find_first_of(" \t") != std::string::npos) {
      return KeyError(config, "lxc.environment",
                      "\"" + value + "\" is not KEY=VALUE or the name of a variable to pass on");
    }
    if (equals == std::string::npos) {
      if (auto passed = FindVariable(caller_env, key)) Set(env, key, *passed);
    } else {
      Set(env, key, value.substr(equals + 1));
    }
  }
  // What LXC sets, and what guests recognise (systemd-detect-virt -c says
  // "lxc"; an unknown value is "container-other"); attach sets the same.
  Set(env, "container", "lxc");
  std::string ttys;
  for (int i = 1; i <= tty_count; ++i) ttys += (i > 1 ? " tty" : "tty") + std::to_string(i);
  Set(env, "container_ttys", ttys);
  if (!FindVariable(env, "PATH")) Set(env, "PATH", kDefaultPath);
  auto term = FindVariable(caller_env, "TERM");
  if (stdin_is_tty && term && !FindVariable(env, "TERM")) Set(env, "TERM", *term);
  return env;
}

}  // namespace uxc::launcher

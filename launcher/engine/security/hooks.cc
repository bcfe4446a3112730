#include "launcher/engine/security/hooks.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "base/bounded_text.h"
#include "base/close_fds.h"

extern char** environ;

namespace uxc::security {
namespace {

constexpr char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

constexpr std::array<std::pair<HookType, std::string_view>, 10> kHookNames = {{
    {HookType::kPreStart, "pre-start"},
    {HookType::kPreMount, "pre-mount"},
    {HookType::kMount, "mount"},
    {HookType::kAutodev, "autodev"},
    {HookType::kStart, "start"},
    {HookType::kStop, "stop"},
    {HookType::kPostStop, "post-stop"},
    {HookType::kStartHost, "start-host"},
    {HookType::kDestroy, "destroy"},
    {HookType::kNetScript, "net"},
}};

// Hooks run through the shell, as in LXC, so a hook value may carry
// arguments; the values LXC adds are quoted.
std::string ShellQuote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string Upper(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

// lxc.hook.version: 0 (the default) passes name, section and type as
// arguments; 1 passes them in LXC_HOOK_* variables.
Result<int> HookVersion(const config::ContainerConfig& config) {
  std::optional<std::string> value = config.Get("lxc.hook.version");
  if (!value || value->empty() || *value == "0") return 0;
  if (*value == "1") return 1;
  return PlainError(config::WhereSet(config, "lxc.hook.version") + " = \"" + *value +
                    "\" is not a hook version; use 0 (arguments) or 1 (environment variables)");
}

// "KEY=VALUE" strings, later settings of a key replacing earlier ones.
class EnvironmentBuilder {
 public:
  // The entries of `entries` whose key `wanted` accepts.
  void SetSome(char** entries, bool (*wanted)(std::string_view key)) {
    for (char** entry = entries; entry != nullptr && *entry != nullptr; ++entry) {
      std::string_view text(*entry);
      size_t equals = text.find('=');
      if (equals == std::string_view::npos || !wanted(text.substr(0, equals))) continue;
      Set(text.substr(0, equals), text.substr(equals + 1));
    }
  }

  // An lxc.environment value: "KEY=VALUE", or "KEY" to pass on this
  // process's value of KEY (lxc.container.conf(5)).
  void SetFromConfig(const std::string& value) {
    size_t equals = value.find('=');
    if (equals != std::string::npos) {
      Set(std::string_view(value).substr(0, equals), std::string_view(value).substr(equals + 1));
      return;
    }
    if (const char* inherited = getenv(value.c_str())) Set(value, inherited);
  }

  void Set(std::string_view key, std::string_view value) {
    std::string entry = std::string(key) + "=" + std::string(value);
    for (std::string& existing : entries_) {
      if (existing.compare(0, key.size() + 1, entry, 0, key.size() + 1) == 0) {
        existing = std::move(entry);
        return;
      }
    }
    entries_.push_back(std::move(entry));
  }

  void SetIfNotEmpty(std::string_view key, const std::string& value) {
    if (!value.empty()) Set(key, value);
  }

  std::vector<std::string> Take() { return std::move(entries_); }

 private:
  std::vector<std::string> entries_;
};

bool RunsOnTheHost(HookType type) {
  switch (type) {
    case HookType::kPreMount:
    case HookType::kMount:
    case HookType::kAutodev:
    case HookType::kStart:
      return false;
    default:
      return true;
  }
}

// What a host-side hook keeps of the user's environment: who and where the
// user is, and their locale; not the rest (agent sockets, tokens, ...).
bool IsIdentityOrLocale(std::string_view key) {
  constexpr std::string_view kKept[] = {"PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE",
                                        "TZ", "TMPDIR", "XDG_RUNTIME_DIR"};
  for (std::string_view kept : kKept) {
    if (key == kept) return true;
  }
  return key.starts_with("LC_");
}

// LXC's hooks inherit the whole environment of lxc-start; uxc's start from
// nothing (docs/security.md, "Arguments and environment"): a hook inside
// the container's namespaces gets none of the user's variables, a host-side
// hook only identity and locale ones.
void SetBaseEnvironment(HookType type, EnvironmentBuilder& environment) {
  environment.Set("PATH", kDefaultPath);
  if (RunsOnTheHost(type)) {
    environment.SetSome(environ, IsIdentityOrLocale);
  } else {
    environment.Set("container", "uxc");
  }
}

std::vector<std::string> BuildEnvironment(const config::ContainerConfig& config, HookType type,
                                          int version, const HookEnvironment& hook) {
  EnvironmentBuilder environment;
  SetBaseEnvironment(type, environment);
  for (const std::string& value : config.GetList("lxc.environment")) {
    environment.SetFromConfig(value);
  }
  for (const std::string& value : config.GetList("lxc.environment.hooks")) {
    environment.SetFromConfig(value);
  }
  environment.Set("LXC_NAME", hook.name);
  environment.Set("LXC_CONFIG_FILE", hook.config_file);
  environment.Set("LXC_ROOTFS_MOUNT", hook.rootfs_mount);
  environment.Set("LXC_ROOTFS_PATH", hook.rootfs_path);
  environment.Set("LXC_CGNS_AWARE", "1");
  environment.Set("LXC_HOOK_VERSION", std::to_string(version));
  environment.SetIfNotEmpty("LXC_CONSOLE", hook.console_path);
  environment.SetIfNotEmpty("LXC_CONSOLE_LOGPATH", hook.console_log);
  environment.SetIfNotEmpty("LXC_TARGET", hook.target);
  if (version == 1) {
    environment.Set("LXC_HOOK_TYPE", HookTypeName(type));
    environment.Set("LXC_HOOK_SECTION", "lxc");
    for (const NamespaceReference& ns : hook.namespaces) {
      environment.Set("LXC_" + Upper(ns.type) + "_NS", ns.path);
    }
  }
  return environment.Take();
}

// "exec HOOK 'name' 'lxc' 'type' [ns:path...]" for version 0, "exec HOOK"
// for version 1, as LXC's run_script_argv() builds it.
std::string CommandLine(const std::string& hook_value, HookType type, int version,
                        const HookEnvironment& hook) {
  std::string line = "exec " + hook_value;
  if (version != 0) return line;
  line += " " + ShellQuote(hook.name) + " 'lxc' " + ShellQuote(HookTypeName(type));
  for (const NamespaceReference& ns : hook.namespaces) {
    line += " " + ShellQuote(ns.type + ":" + ns.path);
  }
  return line;
}

// The hook's stdin is /dev/null and its stdout our stderr: a hook must not
// read the container's input nor write into its output.
void RedirectHookStdio() {
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null >= 0) {
    dup2(null, STDIN_FILENO);
  } else {
    close(STDIN_FILENO);
  }
  dup2(STDERR_FILENO, STDOUT_FILENO);
}

// "lxc.hook.TYPE \"VALUE\" WHAT[NUMBER]", built without allocating.
int FailHook(launcher::ChildReport* report, int error, HookType type, const char* value, const char* what,
             long number) {
  char text[launcher::ChildReport::kTextSize] = {};
  if (type == HookType::kNetScript) {
    AppendText(text, sizeof text, "the network script lxc.net.N.script");
  } else {
    AppendText(text, sizeof text, "lxc.hook.");
    AppendText(text, sizeof text, HookTypeName(type).data());
  }
  AppendText(text, sizeof text, " \"");
  AppendText(text, sizeof text, value);
  AppendText(text, sizeof text, "\" ");
  AppendText(text, sizeof text, what);
  if (number >= 0) AppendDecimal(text, sizeof text, number);
  if (number == 126) AppendText(text, sizeof text, " (the hook is not executable)");
  if (number == 127) AppendText(text, sizeof text, " (no such hook program)");
  return launcher::Fail(report, error, text);
}

}  // namespace

std::string_view HookTypeName(HookType type) {
  for (const auto& [value, name] : kHookNames) {
    if (value == type) return name;
  }
  return "unknown";
}

Result<PreparedHooks> PrepareHooks(const config::ContainerConfig& config, HookType type,
                                   const HookEnvironment& environment) {
  UXC_ASSIGN_OR_RETURN(int version, HookVersion(config));
  PreparedHooks hooks;
  hooks.type_ = type;
  for (const std::string& value :
       config.GetList("lxc.hook." + std::string(HookTypeName(type)))) {
    if (value.empty()) continue;
    hooks.commands_.push_back({value, CommandLine(value, type, version, environment), {}});
  }
  hooks.environment_ = BuildEnvironment(config, type, version, environment);
  hooks.TakePointers();
  return hooks;
}

// The pointers are taken only once no string moves any more.
void PreparedHooks::TakePointers() {
  for (Command& command : commands_) {
    command.argv = {const_cast<char*>("sh"), const_cast<char*>("-c"), command.line.data(), nullptr};
  }
  envp_.clear();
  for (std::string& entry : environment_) envp_.push_back(entry.data());
  envp_.push_back(nullptr);
}

Result<StopHooks> PrepareStopHooks(const config::ContainerConfig& config, HookType type,
                                   const HookEnvironment& environment) {
  HookEnvironment without_stop = environment;
  without_stop.target.clear();
  without_stop.namespaces.clear();
  UXC_ASSIGN_OR_RETURN(PreparedHooks prepared, PrepareHooks(config, type, without_stop));
  UXC_ASSIGN_OR_RETURN(int version, HookVersion(config));
  StopHooks hooks{type, version, {}, {}, prepared.environment_};
  for (const PreparedHooks::Command& command : prepared.commands_) {
    hooks.values.push_back(command.value);
    hooks.lines.push_back(command.line);
  }
  return hooks;
}

PreparedHooks PrepareRecordedHooks(const StopHooks& recorded, const std::string& target,
                                   const std::vector<NamespaceReference>& namespaces) {
  PreparedHooks hooks;
  hooks.type_ = recorded.type;
  EnvironmentBuilder environment;
  for (const std::string& entry : recorded.environment) {
    size_t equals = entry.find('=');
    if (equals != std::string::npos) environment.Set(entry.substr(0, equals), entry.substr(equals + 1));
  }
  environment.SetIfNotEmpty("LXC_TARGET", target);
  for (size_t i = 0; i < recorded.values.size() && i < recorded.lines.size(); ++i) {
    std::string line = recorded.lines[i];
    if (recorded.version == 0) {
      for (const NamespaceReference& ns : namespaces) line += " " + ShellQuote(ns.type + ":" + ns.path);
    }
    hooks.commands_.push_back({recorded.values[i], std::move(line), {}});
  }
  if (recorded.version == 1) {
    for (const NamespaceReference& ns : namespaces) environment.Set("LXC_" + Upper(ns.type) + "_NS", ns.path);
  }
  hooks.environment_ = environment.Take();
  hooks.TakePointers();
  return hooks;
}

Result<StopHooks> PrepareNetScript(const config::ContainerConfig& config, const std::string& script,
                                   std::string_view action, const std::string& link,
                                   const HookEnvironment& environment) {
  UXC_ASSIGN_OR_RETURN(int version, HookVersion(config));
  EnvironmentBuilder builder;
  for (std::string& entry : BuildEnvironment(config, HookType::kNetScript, version, environment)) {
    size_t equals = entry.find('=');
    builder.Set(std::string_view(entry).substr(0, equals), std::string_view(entry).substr(equals + 1));
  }
  builder.Set("LXC_HOOK_TYPE", action);
  builder.Set("LXC_HOOK_SECTION", "net");
  builder.Set("LXC_NET_TYPE", "veth");
  builder.Set("LXC_NET_PARENT", link);
  std::string line = "exec " + script;
  if (version == 0) line += " " + ShellQuote(environment.name) + " 'net' " + ShellQuote(action) + " 'veth'";
  return StopHooks{HookType::kNetScript, version, {script}, {line}, builder.Take()};
}

PreparedHooks PrepareNetScriptRun(const StopHooks& script, const std::string& host_nic) {
  PreparedHooks hooks;
  hooks.type_ = HookType::kNetScript;
  hooks.environment_ = script.environment;
  hooks.environment_.push_back("LXC_NET_PEER=" + host_nic);
  for (size_t i = 0; i < script.values.size() && i < script.lines.size(); ++i) {
    std::string line = script.lines[i] + (script.version == 0 ? " " + ShellQuote(host_nic) : "");
    hooks.commands_.push_back({script.values[i], std::move(line), {}});
  }
  hooks.TakePointers();
  return hooks;
}

int RunPreparedHooks(const PreparedHooks& hooks, launcher::ChildReport* report) {
  for (const PreparedHooks::Command& command : hooks.commands_) {
    pid_t pid = fork();
    if (pid < 0) return FailHook(report, errno, hooks.type_, command.value.c_str(), "could not start", -1);
    if (pid == 0) {
      RedirectHookStdio();
      // Nothing of the launcher's (the user's fds, the sync socket, the
      // container's ptys and root) is the hook's.
      if (CloseFdsExcept({}) != 0) _exit(126);
      execve("/bin/sh", command.argv.data(), hooks.envp_.data());
      _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) {
        return FailHook(report, errno, hooks.type_, command.value.c_str(), "could not be waited for", -1);
      }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
      return FailHook(report, 0, hooks.type_, command.value.c_str(), "exited with status ", WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
      return FailHook(report, 0, hooks.type_, command.value.c_str(), "was killed by signal ", WTERMSIG(status));
    }
  }
  return 0;
}

Status RunHooks(const config::ContainerConfig& config, HookType type,
                const HookEnvironment& environment) {
  UXC_ASSIGN_OR_RETURN(PreparedHooks hooks, PrepareHooks(config, type, environment));
  return RunHooks(hooks);
}

Status RunHooks(const PreparedHooks& hooks) {
  if (hooks.empty()) return OkStatus();
  launcher::ChildReport report;
  if (RunPreparedHooks(hooks, &report) != 0) return launcher::ReportToError(report);
  return OkStatus();
}

}  // namespace uxc::security

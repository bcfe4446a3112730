#include "launcher/cli/start.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "config/tool_settings.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/container_run.h"
#include "launcher/lifecycle/monitor.h"
#include "launcher/log.h"
#include "launcher/security/hooks.h"
#include "launcher/start.h"
#include "launcher/start_plan.h"
#include "launcher/subordinate_ids.h"
#include "launcher/templates/container_lock.h"

extern char** environ;

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = ContainerOptions({
      {"rcfile", 'f', true, false, "FILE", "use FILE as the container's config instead of DIR/NAME/config"},
      {"define", 's', true, true, "KEY=VALUE", "set a config key for this start; repeatable"},
      {"foreground", 'F', false, false, "", "run in the foreground, the console on this terminal"},
      {"daemon", 'd', false, false, "", "run detached (the default)"},
      {"logfile", 'o', true, false, "FILE", "uxc's log file (lxc.log.file)"},
      {"logpriority", 'l', true, false, "LEVEL", "the log level (lxc.log.level)"},
  });
  return kOptions;
}

const std::vector<OptionSpec>& EndOptions() {
  static const std::vector<OptionSpec> kOptions = ContainerOptions({
      {"rcfile", 'f', true, false, "FILE", "the container's config"},
      {"define", 's', true, true, "KEY=VALUE", "a config key set for the start"},
      {"target", 0, true, false, "stop|reboot", "why the init exited"},
      {"lock-fd", 0, true, false, "N", "the container lock, inherited"},
      {"hold-fd", 0, true, true, "N", "a connection to close once the container is released"},
      {"namespace-fd", 0, true, true, "N", "a namespace of the init, for the stop hook"},
  });
  return kOptions;
}

int Fail(const Error& error) { return FailWith("start", error); }

std::vector<std::string> Overrides(const ParsedArgs& parsed) {
  std::vector<std::string> overrides = parsed.Values("define");
  if (parsed.Has("logfile")) overrides.push_back("lxc.log.file=" + parsed.Value("logfile"));
  if (parsed.Has("logpriority")) overrides.push_back("lxc.log.level=" + parsed.Value("logpriority"));
  return overrides;
}

std::vector<std::string> CallerEnvironment() {
  std::vector<std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) env.emplace_back(*entry);
  return env;
}

int StartInForeground(const lifecycle::ContainerRef& ref, const ParsedArgs& parsed,
                      const config::ToolSettings& settings) {
  auto lock = templates::ContainerLock::TryAcquire(ref.container_dir, ref.name);
  if (!lock.ok()) return Fail(PlainError("container '" + ref.name + "' is already running (or in use)"));
  launcher::ContainerRun run;
  run.command_name = "start";
  run.load = config::StandardLayers(ref.config_file);
  run.load.overrides = Overrides(parsed);
  run.start.name = ref.name;
  run.start.config_file = ref.config_file;
  run.start.system_init = true;
  // ls and info show it RUNNING while the lock is held; the record goes
  // when this returns, or with the lock if this process is killed.
  lifecycle::ForegroundRecord record(ref.name, ref.config_file);
  run.on_running = [&record](pid_t init_pid) {
    Status written = record.Running(init_pid);
    if (!written.ok()) {
      std::fprintf(stderr, "uxc start: warning: uxc ls will not show it running: %s\n",
                   written.error().ToString().c_str());
    }
  };
  auto status = launcher::RunContainer(std::move(run), settings);
  if (!status.ok()) return Fail(status.error());
  return *status;
}

// A detached start's config and plan; the monitor points into it.
struct DetachedStart {
  config::ContainerConfig config;
  launcher::StartPlan plan;
  launcher::Caller caller;
  std::vector<std::string> overrides;
};

Result<std::unique_ptr<DetachedStart>> PrepareStart(const lifecycle::ContainerRef& ref,
                                                    std::vector<std::string> overrides) {
  config::LoadRequest load = config::StandardLayers(ref.config_file);
  load.overrides = overrides;
  auto config = config::LoadContainerConfig(load);
  if (!config.ok()) return config.take_error();
  for (const config::Warning& warning : config->warnings()) {
    std::fprintf(stderr, "uxc start: warning: %s\n", warning.ToString().c_str());
  }
  launcher::StartRequest request;
  request.name = ref.name;
  request.config_file = ref.config_file;
  request.system_init = true;
  request.caller = launcher::CurrentCaller();
  request.caller_env = CallerEnvironment();
  if (config->GetList("lxc.idmap").empty()) {
    auto maps = launcher::DefaultIdMapFromHost(request.caller);
    if (!maps.ok()) return maps.take_error();
    request.default_maps = std::move(*maps);
  }
  auto plan = launcher::PlanStart(*config, request);
  if (!plan.ok()) return plan.take_error();
  for (const std::string& note : plan->notes) std::fprintf(stderr, "uxc start: %s\n", note.c_str());
  return std::make_unique<DetachedStart>(
      DetachedStart{std::move(*config), std::move(*plan), request.caller, std::move(overrides)});
}

// `uxc __monitor-end` as uxc-monitor will exec it, without the target and
// fds it adds.
std::vector<std::string> EndCommand(const std::string& uxc, const lifecycle::ContainerRef& ref,
                                    const std::vector<std::string>& overrides) {
  std::string container_path = ref.container_dir.substr(0, ref.container_dir.size() - ref.name.size() - 1);
  std::vector<std::string> command = {uxc, kMonitorEndCommand, "-P", container_path, "-f", ref.config_file};
  for (const std::string& override : overrides) {
    command.push_back("-s");
    command.push_back(override);
  }
  command.push_back(ref.name);
  return command;
}

Result<lifecycle::MonitorRequest> MonitorRequestFor(const lifecycle::ContainerRef& ref, const DetachedStart& start,
                                                    const config::ToolSettings& settings) {
  auto uxc = lifecycle::UxcBinary();
  if (!uxc.ok()) return uxc.take_error();
  auto binary = lifecycle::MonitorBinary();
  if (!binary.ok()) return binary.take_error();
  lifecycle::MonitorRequest monitor;
  monitor.name = ref.name;
  monitor.config_file = ref.config_file;
  monitor.paths = ref.paths;
  monitor.config = &start.config;
  monitor.plan = &start.plan;
  monitor.caller = start.caller;
  monitor.helpers = {settings.newuidmap, settings.newgidmap};
  monitor.monitor_binary = std::move(*binary);
  monitor.end_command = EndCommand(*uxc, ref, start.overrides);
  return monitor;
}

int StartDetached(const lifecycle::ContainerRef& ref, const ParsedArgs& parsed,
                  const config::ToolSettings& settings) {
  auto lock = templates::ContainerLock::TryAcquire(ref.container_dir, ref.name);
  if (!lock.ok()) {
    return Fail(PlainError("container '" + ref.name + "' is already running, or another uxc command uses it (" +
                           lock.error().ToString() + "); `uxc stop " + ref.name + "` stops it"));
  }
  auto start = PrepareStart(ref, Overrides(parsed));
  if (!start.ok()) return Fail(start.error());
  auto monitor = MonitorRequestFor(ref, **start, settings);
  if (!monitor.ok()) return Fail(monitor.error());
  std::fflush(stderr);
  std::fflush(stdout);
  auto pid = lifecycle::LaunchMonitor(*monitor, std::move(*lock));
  if (!pid.ok()) return Fail(Annotate(pid.take_error(), "container '" + ref.name + "'"));
  return 0;
}

// An fd number given to __monitor-end, owned from now on and close-on-exec.
Result<UniqueFd> AdoptFd(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) {
    return PlainError("expected a file descriptor number, not \"" + text + "\"");
  }
  int fd = std::stoi(text);
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) return ErrnoError("file descriptor " + text);
  return UniqueFd(fd);
}

// The monitor's stdio is /dev/null: what goes wrong at the end is logged
// (lxc.log.file).
int FailEnd(const Error& error) {
  log::Error("stop", error.ToString());
  return FailWith(kMonitorEndCommand, error);
}

// The references the stop hook gets to the namespaces the monitor held:
// the type from the fd's link ("net:[4026532008]"), the fd by its path.
std::vector<security::NamespaceReference> NamespaceReferences(const std::vector<UniqueFd>& namespaces) {
  std::vector<security::NamespaceReference> references;
  for (const UniqueFd& ns : namespaces) {
    std::string path = "/proc/" + std::to_string(getpid()) + "/fd/" + std::to_string(ns.get());
    char link[64];
    ssize_t n = readlink(path.c_str(), link, sizeof link - 1);
    std::string_view target(link, n > 0 ? n : 0);
    if (target.find(':') == std::string_view::npos) continue;
    references.push_back({std::string(target.substr(0, target.find(':'))), path});
  }
  return references;
}

// The stop hook, with the namespaces, then the post-stop hook, without (as
// RunInForeground runs them); the namespaces are released in between.
void RunStopHooks(const DetachedStart& start, const std::string& target, std::vector<UniqueFd> namespaces) {
  security::HookEnvironment environment = start.plan.hook_environment;
  environment.target = target;
  environment.namespaces = NamespaceReferences(namespaces);
  Status stop = security::RunHooks(start.config, security::HookType::kStop, environment);
  if (!stop.ok()) FailEnd(stop.error());
  namespaces.clear();
  environment.namespaces.clear();
  Status post_stop = security::RunHooks(start.config, security::HookType::kPostStop, environment);
  if (!post_stop.ok()) FailEnd(post_stop.error());
}

std::vector<UniqueFd> AdoptFds(const std::vector<std::string>& numbers) {
  std::vector<UniqueFd> fds;
  for (const std::string& number : numbers) {
    auto adopted = AdoptFd(number);
    if (adopted.ok()) fds.push_back(std::move(*adopted));
  }
  return fds;
}

}  // namespace

int RunStart(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("start", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("start", "NAME [-P DIR] [-F] [-s KEY=VALUE]...",
                          "Boots the container's init (lxc.init.cmd, default /sbin/init) as its pid 1. "
                          "Detached by default: a small monitor process keeps the container and "
                          "answers uxc stop, attach, console, info and ls, and restarts the container "
                          "when its init reboots; uxc start returns once the init runs.",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  auto ref = NamedContainer(*parsed, "start");
  if (!ref.ok()) return Fail(ref.error());
  if (parsed->Has("rcfile")) ref->config_file = parsed->Value("rcfile");
  auto settings = config::LoadToolSettings(config::CurrentToolEnvironment());
  if (!settings.ok()) return Fail(settings.error());
  if (parsed->Has("foreground")) return StartInForeground(*ref, *parsed, *settings);
  return StartDetached(*ref, *parsed, *settings);
}

int RunMonitorEnd(const std::vector<std::string>& args) {
  auto parsed = ParseArgs(kMonitorEndCommand, EndOptions(), args);
  if (!parsed.ok()) return FailEnd(parsed.error());
  auto lock = AdoptFd(parsed->Value("lock-fd"));
  if (!lock.ok()) return FailEnd(lock.error());
  std::vector<UniqueFd> held = AdoptFds(parsed->Values("hold-fd"));
  std::vector<UniqueFd> namespaces = AdoptFds(parsed->Values("namespace-fd"));
  std::string target = parsed->Value("target", "stop");
  auto ref = NamedContainer(*parsed, kMonitorEndCommand);
  if (!ref.ok()) return FailEnd(ref.error());
  if (parsed->Has("rcfile")) ref->config_file = parsed->Value("rcfile");
  auto start = PrepareStart(*ref, parsed->Values("define"));
  if (start.ok()) {
    (void)log::OpenLog((*start)->plan.log);
    log::Info("stop", target == "reboot" ? "the init rebooted: the container starts again"
                                         : "the init exited: the container stops");
    RunStopHooks(**start, target, std::move(namespaces));
  }
  lifecycle::RemoveRuntimeFiles(ref->paths);
  held.clear();  // clients waiting for the end see EOF now
  if (!start.ok()) return FailEnd(start.error());
  if (target != "reboot") return 0;
  auto settings = config::LoadToolSettings(config::CurrentToolEnvironment());
  if (!settings.ok()) return FailEnd(settings.error());
  auto monitor = MonitorRequestFor(*ref, **start, *settings);
  if (!monitor.ok()) return FailEnd(monitor.error());
  return FailEnd(lifecycle::RestartInPlace(*monitor, lock->get()));
}

}  // namespace uxc::cli

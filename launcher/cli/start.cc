#include "launcher/cli/start.h"

#include <signal.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstdio>
#include <ctime>

#include "config/tool_settings.h"
#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/detached_start.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/engine/command_line.h"
#include "launcher/lifecycle/foreground_run.h"
#include "launcher/lifecycle/last_exit.h"
#include "launcher/lifecycle/monitor.h"
#include "launcher/lifecycle/release.h"
#include "launcher/lifecycle/container_lock.h"

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

int Fail(const Error& error) { return FailWith("start", error); }

// The container lock is taken: by a uxc that runs it, or LXC runs it (EBUSY).
int FailLocked(const lifecycle::ContainerRef& ref, const Error& error) {
  if (error.errno_value == EBUSY) return Fail(error);
  return Fail(PlainError("container '" + ref.name + "' is already running, or another uxc command uses it (" +
                         error.ToString() + "); `uxc stop " + ref.name + "` stops it"));
}

// The init exited while the start waited for it to settle: says how, with
// the console's last lines, from the record the monitor left.
int FailInitExited(const lifecycle::ContainerRef& ref) {
  constexpr size_t kLines = 10;
  std::string how = "exited";
  if (auto exit = lifecycle::ReadLastExit(ref.container_dir); exit.ok() && exit->has_value()) {
    how = lifecycle::DescribeExit(**exit);
  }
  auto console = lifecycle::ReadLastConsole(ref.container_dir);
  std::vector<std::string> lines = lifecycle::LastLines(console.ok() ? *console : "", kLines);
  if (!lines.empty()) std::fprintf(stderr, "uxc start: the console's last lines:\n");
  for (const std::string& line : lines) std::fprintf(stderr, "uxc start: | %s\n", line.c_str());
  return Fail(PlainError("container '" + ref.name + "' stopped as it started: its init " + how +
                         (lines.empty() ? " and printed nothing on the console" : "") + " (`uxc info " + ref.name +
                         "` keeps the exit, `uxc console " + ref.name + " --tail` the console's last output)"));
}

std::vector<std::string> Overrides(const ParsedArgs& parsed) {
  std::vector<std::string> overrides = parsed.Values("define");
  if (parsed.Has("logfile")) overrides.push_back("lxc.log.file=" + parsed.Value("logfile"));
  if (parsed.Has("logpriority")) overrides.push_back("lxc.log.level=" + parsed.Value("logpriority"));
  // `uxc start NAME -- CMD` runs CMD as the init, as lxc-start does. A
  // config value loses one pair of quotes around it (LXC's parse_line): this
  // pair, so that the quotes of the words stay.
  if (!parsed.after_dashdash.empty()) {
    overrides.push_back("lxc.init.cmd=\"" + launcher::JoinCommandLine(parsed.after_dashdash) + "\"");
  }
  return overrides;
}

// What the foreground run adds (lifecycle/foreground_run.h): the state file and the
// control socket, so that ls, info, attach, stop and wait see it as any
// running container; and, once the init exited, the record of the exit.
lifecycle::ForegroundCallbacks ForegroundCallbacksFor(const lifecycle::ContainerRef& ref,
                                                     lifecycle::ForegroundRecord& record,
                                                     std::vector<UniqueFd>& connections, bool& ended_cleanly) {
  lifecycle::ForegroundCallbacks callbacks;
  callbacks.control_socket = [&record]() {
    auto listener = record.Listen();
    if (listener.ok()) return std::move(*listener);
    std::fprintf(stderr, "uxc start: warning: uxc stop will not reach it: %s\n", listener.error().ToString().c_str());
    return UniqueFd();
  };
  callbacks.on_running = [&record](pid_t init_pid) {
    Status written = record.Running(init_pid);
    if (!written.ok()) {
      std::fprintf(stderr, "uxc start: warning: uxc ls will not show it running: %s\n",
                   written.error().ToString().c_str());
    }
  };
  callbacks.on_exit = [&ref, &connections, &ended_cleanly](lifecycle::ForegroundExit exit) {
    lifecycle::LastExit last;
    last.ended = time(nullptr);
    last.ran_ms = exit.ran_ms;
    bool killed = exit.info.si_code != CLD_EXITED;
    last.exit_code = killed ? -1 : exit.info.si_status;
    last.signal = killed ? exit.info.si_status : 0;
    Status recorded = lifecycle::RecordLastExit(ref.container_dir, last, exit.console);
    if (!recorded.ok()) {
      std::fprintf(stderr, "uxc start: warning: uxc info will not show this exit: %s\n",
                   recorded.error().ToString().c_str());
    }
    connections = std::move(exit.connections);
    // A halt or poweroff in a pid namespace kills its init with SIGINT
    // (reboot(2)): as a stop asked for with `uxc stop`, a clean end.
    ended_cleanly = exit.stop_requested || (killed && exit.info.si_status == SIGINT);
  };
  return callbacks;
}

int StartInForeground(const lifecycle::ContainerRef& ref, const ParsedArgs& parsed,
                      const config::ToolSettings& settings) {
  // Closed last, once the runtime files are gone and the lock is free: a
  // waiting `uxc stop` then finds the container stopped.
  std::vector<UniqueFd> connections;
  auto lock = lifecycle::ContainerLock::TryAcquire(ref.container_dir, ref.name);
  if (!lock.ok()) return FailLocked(ref, lock.error());
  lifecycle::ContainerRun run;
  run.input.command_name = "start";
  run.input.foreground = true;
  run.input.load = config::StandardLayers(ref.config_file);
  run.input.load.overrides = Overrides(parsed);
  run.input.request.name = ref.name;
  run.input.request.config_file = ref.config_file;
  run.input.request.system_init = true;
  // The record goes when this returns, or with the lock if this process is
  // killed.
  lifecycle::ForegroundRecord record(ref.name, ref.config_file);
  bool ended_cleanly = false;
  run.callbacks = ForegroundCallbacksFor(ref, record, connections, ended_cleanly);
  auto status = lifecycle::RunContainer(std::move(run), settings);
  if (!status.ok()) return Fail(status.error());
  return ended_cleanly ? 0 : *status;
}

int StartDetached(const lifecycle::ContainerRef& ref, const ParsedArgs& parsed,
                  const config::ToolSettings& settings) {
  auto lock = lifecycle::ContainerLock::TryAcquire(ref.container_dir, ref.name);
  if (!lock.ok()) return FailLocked(ref, lock.error());
  lifecycle::ReleaseAbandoned(ref.paths, ref.name);
  auto start = PrepareDetachedStart(ref, Overrides(parsed), settings);
  if (!start.ok()) return Fail(start.error());
  auto monitor = MonitorRequestFor(ref, *start);
  if (!monitor.ok()) return Fail(monitor.error());
  std::fflush(stderr);
  std::fflush(stdout);
  auto launched = lifecycle::LaunchMonitor(*monitor, std::move(*lock));
  if (!launched.ok()) return Fail(Annotate(launched.take_error(), "container '" + ref.name + "'"));
  if (launched->init_exited) return FailInitExited(ref);
  return 0;
}

}  // namespace

int RunStart(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("start", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("start", "NAME [-P DIR] [-F] [-s KEY=VALUE]... [-- CMD [ARGS]]",
                          "Boots the container's init (CMD, else lxc.init.cmd, default /sbin/init) as its pid 1. "
                          "Detached by default: a small monitor process keeps the container and "
                          "answers uxc stop, attach, console, info and ls, and restarts the container "
                          "when its init reboots; uxc start returns once the init runs.",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  if (auto refused = RefuseBadName("start", *parsed)) return *refused;
  auto ref = NamedContainer(*parsed, "start");
  if (!ref.ok()) return Fail(ref.error());
  if (parsed->Has("rcfile")) ref->config_file = parsed->Value("rcfile");
  auto settings = config::LoadToolSettings(config::CurrentToolEnvironment());
  if (!settings.ok()) return Fail(settings.error());
  if (parsed->Has("foreground")) return StartInForeground(*ref, *parsed, *settings);
  return StartDetached(*ref, *parsed, *settings);
}

}  // namespace uxc::cli

#include "launcher/cli/execute.h"

#include <sys/stat.h>

#include <cstdio>

#include "config/tool_settings.h"
#include "launcher/args/args.h"
#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/lifecycle/container_status.h"
#include "launcher/lifecycle/foreground_run.h"
#include "launcher/lifecycle/container_lock.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = {
      {"name", 'n', true, false, "NAME", "the container (or give it as the first argument)"},
      {"lxcpath", 'P', true, false, "DIR", "the container path (default: uxc.container_path)"},
      {"rcfile", 'f', true, false, "FILE",
       "use FILE as the container's config instead of DIR/NAME/config"},
      {"define", 's', true, true, "KEY=VALUE", "set a config key for this run; repeatable"},
  };
  return kOptions;
}

int Fail(const Error& error) { return FailWith("execute", error); }

}  // namespace

int RunExecute(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("execute", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("execute", "NAME [-P DIR] [-f FILE] [-s KEY=VALUE]... [--] [CMD [ARGS]]",
                          "Runs CMD (default: lxc.execute.cmd) in the container NAME as an "
                          "application container: uxc's pid 1 reaps zombies and forwards signals, "
                          "stdio is yours, the exit status is CMD's (128 + signal when killed).",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  std::vector<std::string> rest = parsed->positionals;
  std::string name = parsed->Value("name");
  if (name.empty()) {
    if (rest.empty()) return Fail(UsageErrorFor("execute", "name the container: uxc execute NAME -- CMD"));
    name = rest.front();
    rest.erase(rest.begin());
  }
  if (auto refused = RefuseBadName("execute", name)) return *refused;
  rest.insert(rest.end(), parsed->after_dashdash.begin(), parsed->after_dashdash.end());

  auto settings = config::LoadToolSettings(config::CurrentToolEnvironment());
  if (!settings.ok()) return Fail(settings.error());
  std::string container_path = parsed->Value("lxcpath", settings->container_path);
  std::string container_dir = container_path + "/" + name;
  std::string config_file = parsed->Value("rcfile", container_dir + "/config");
  struct stat st;
  if (stat(config_file.c_str(), &st) != 0) {
    return Fail(ErrnoError("container '" + name + "': cannot read its config " + config_file +
                           " (make it with uxc create, or give -P DIR or -f FILE)"));
  }
  auto lock = lifecycle::ContainerLock::TryAcquire(container_dir, name);
  if (!lock.ok()) return Fail(lock.error());

  lifecycle::ContainerRun run;
  run.input.command_name = "execute";
  run.input.foreground = true;
  run.input.load = config::StandardLayers(config_file);
  run.input.load.overrides = parsed->Values("define");
  run.input.request.name = name;
  run.input.request.config_file = config_file;
  run.input.request.command = rest;
  // ls and info show it RUNNING while the lock is held; the record goes
  // when this returns, or with the lock if this process is killed.
  lifecycle::ForegroundRecord record(name, config_file);
  run.callbacks.on_running = [&record](pid_t init_pid) {
    Status written = record.Running(init_pid);
    if (!written.ok()) {
      std::fprintf(stderr, "uxc execute: warning: uxc ls will not show it running: %s\n",
                   written.error().ToString().c_str());
    }
  };
  auto status = lifecycle::RunContainer(std::move(run), *settings);
  if (!status.ok()) return Fail(status.error());
  return *status;
}

}  // namespace uxc::cli

#include "launcher/cli/run.h"

#include <sys/stat.h>

#include <cstdio>
#include <optional>

#include "config/tool_settings.h"
#include "launcher/args/args.h"
#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/lifecycle/foreground_run.h"
#include "launcher/lifecycle/container_lock.h"

namespace uxc::cli {
namespace {

// What a container started from a bare rootfs gets unless a config layer
// (default.conf, -s) says otherwise.
const char kDefaultMountAuto[] = "proc:mixed sys:mixed cgroup:mixed";

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = {
      {"rootfs", 'r', true, false, "DIR",
       "run in DIR as the root (instead of a container's rootfs)"},
      {"lxcpath", 'P', true, false, "DIR",
       "the container path for NAME (default: uxc.container_path)"},
      {"define", 's', true, true, "KEY=VALUE", "set a config key for this run; repeatable"},
  };
  return kOptions;
}

int Fail(const Error& error) { return FailWith("run", error); }

// The config layers without a container's own file: the default.conf files.
config::LoadRequest DefaultLayers() {
  config::LoadRequest request = config::StandardLayers("");
  if (!request.layers.empty()) request.layers.pop_back();
  return request;
}

}  // namespace

int RunRun(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("run", Options(), args, /*stop_at_first_positional=*/true);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("run", "[--rootfs DIR | NAME] [-P DIR] [-s KEY=VALUE]... [--] CMD [ARGS]",
                          "Runs CMD in a one-shot container: all namespaces, your subordinate ids, "
                          "and an overlay over the rootfs whose writes vanish when CMD exits. "
                          "Nothing is left behind.",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  std::vector<std::string> words = parsed->positionals;
  words.insert(words.end(), parsed->after_dashdash.begin(), parsed->after_dashdash.end());
  auto settings = config::LoadToolSettings(config::CurrentToolEnvironment());
  if (!settings.ok()) return Fail(settings.error());

  lifecycle::ContainerRun run;
  run.input.command_name = "run";
  run.input.foreground = true;
  launcher::StartRequest& request = run.input.request;
  request.ephemeral = true;
  request.default_mount_auto = {kDefaultMountAuto};
  // The command has the caller's stdio; no /dev/console (uxc execute makes
  // one, as lxc-execute does).
  request.console_by_default = false;
  std::optional<lifecycle::ContainerLock> lock;
  if (parsed->Has("rootfs")) {
    run.input.load = DefaultLayers();
    run.input.load.overrides.push_back("lxc.rootfs.path=" + parsed->Value("rootfs"));
  } else {
    if (words.empty())
      return Fail(UsageErrorFor("run", "name a container or give --rootfs DIR: uxc run NAME -- CMD"));
    std::string name = words.front();
    words.erase(words.begin());
    if (auto refused = RefuseBadName("run", name)) return *refused;
    std::string container_dir = parsed->Value("lxcpath", settings->container_path) + "/" + name;
    struct stat st;
    if (stat((container_dir + "/config").c_str(), &st) != 0) {
      return Fail(
          ErrnoError("container '" + name + "': cannot read its config " + container_dir +
                     "/config (make it with uxc create, give -P DIR, or use --rootfs DIR)"));
    }
    auto acquired = lifecycle::ContainerLock::TryAcquire(container_dir, name);
    if (!acquired.ok()) return Fail(acquired.error());
    lock.emplace(std::move(*acquired));
    run.input.load = config::StandardLayers(container_dir + "/config");
    request.name = name;
    request.config_file = container_dir + "/config";
  }
  if (!words.empty() && words.front() == "--") words.erase(words.begin());
  if (words.empty()) return Fail(UsageErrorFor("run", "no command to run: uxc run --rootfs DIR -- CMD"));
  for (const std::string& define : parsed->Values("define")) run.input.load.overrides.push_back(define);
  request.command = words;
  auto status = lifecycle::RunContainer(std::move(run), *settings);
  if (!status.ok()) return Fail(status.error());
  return *status;
}

}  // namespace uxc::cli

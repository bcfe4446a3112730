#include "launcher/cli/autostart.h"

#include <unistd.h>

#include <cstdio>

#include "config/container_config.h"
#include "launcher/cli/autostart_order.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/cli/start.h"
#include "launcher/cli/stop.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = {
      {"lxcpath", 'P', true, false, "DIR", "the container path (default: uxc.container_path)"},
      {"all", 'a', false, false, "", "every group, not only the containers without lxc.group"},
      {"groups", 'g', true, true, "GROUP[,GROUP]", "these groups (an empty item: no group); repeatable"},
      {"list", 'L', false, false, "", "print what would be done (name, and the delay when starting) and stop"},
      {"kill", 'k', false, false, "", "kill the containers, last started first"},
      {"shutdown", 's', false, false, "", "halt the containers cleanly, last started first"},
      {"timeout", 't', true, false, "SECONDS", "with -s: kill a container not halted within SECONDS"},
  };
  return kOptions;
}

int Fail(const Error& error) { return FailWith("autostart", error); }

// The autostart facts of every container under `path`; a container whose
// config does not load is reported and left out.
std::vector<AutostartEntry> Entries(const std::string& path, bool* any_failed) {
  std::vector<AutostartEntry> entries;
  for (const std::string& name : ContainerNames(path, "autostart")) {
    auto config = config::LoadContainerConfig(config::StandardLayers(path + "/" + name + "/config"));
    auto entry = config.ok() ? AutostartEntryOf(name, *config) : Result<AutostartEntry>(config.error());
    if (!entry.ok()) {
      std::fprintf(stderr, "uxc autostart: skipping '%s': %s\n", name.c_str(), entry.error().ToString().c_str());
      *any_failed = true;
      continue;
    }
    entries.push_back(std::move(*entry));
  }
  return entries;
}

bool IsRunning(const std::string& name, const std::string& path) {
  auto ref = lifecycle::ResolveContainer(name, path);
  if (!ref.ok()) return false;
  auto status = lifecycle::ProbeContainer(*ref);
  return status.ok() && status->state == lifecycle::RunState::kRunning;
}

int StartAll(const std::vector<AutostartEntry>& sequence, const std::string& path) {
  int result = 0;
  for (size_t i = 0; i < sequence.size(); ++i) {
    const AutostartEntry& entry = sequence[i];
    if (IsRunning(entry.name, path)) continue;
    if (RunStart({entry.name, "-P", path}) != 0) {
      result = 1;
      continue;
    }
    if (entry.delay_seconds > 0 && i + 1 < sequence.size()) sleep(static_cast<unsigned>(entry.delay_seconds));
  }
  return result;
}

int StopAll(const std::vector<AutostartEntry>& sequence, const std::string& path, const ParsedArgs& parsed) {
  int result = 0;
  for (const AutostartEntry& entry : sequence) {
    if (!IsRunning(entry.name, path)) continue;
    std::vector<std::string> args = {entry.name, "-P", path};
    if (parsed.Has("kill")) {
      args.push_back("-k");
    } else if (parsed.Has("timeout")) {
      args.insert(args.end(), {"-t", parsed.Value("timeout")});
    }
    if (RunStop(args) != 0) result = 1;
  }
  return result;
}

void PrintList(const std::vector<AutostartEntry>& sequence, AutostartAction action) {
  for (const AutostartEntry& entry : sequence) {
    if (action == AutostartAction::kStart) {
      std::printf("%s %ld\n", entry.name.c_str(), entry.delay_seconds);
    } else {
      std::printf("%s\n", entry.name.c_str());
    }
  }
}

}  // namespace

int RunAutostart(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("autostart", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("autostart", "[-P DIR] [-a | -g GROUP...] [-L] [-k | -s [-t SECONDS]]",
                          "Starts the containers with lxc.start.auto = 1 by ascending lxc.start.order, "
                          "waiting lxc.start.delay seconds after each; with -s or -k stops them in the "
                          "reverse order. Only the containers without lxc.group unless -g or -a.",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  if (!parsed->positionals.empty()) {
    return Fail(UsageErrorFor("autostart", "unexpected argument \"" + parsed->positionals.front() + "\""));
  }
  auto path = ContainerPath(*parsed);
  if (!path.ok()) return Fail(path.error());
  AutostartFilter filter;
  filter.all = parsed->Has("all");
  filter.group_args = parsed->Values("groups");
  AutostartAction action =
      parsed->Has("kill") || parsed->Has("shutdown") ? AutostartAction::kStop : AutostartAction::kStart;
  bool any_failed = false;
  std::vector<AutostartEntry> sequence = AutostartSequence(Entries(*path, &any_failed), filter, action);
  if (parsed->Has("list")) {
    PrintList(sequence, action);
    return any_failed ? 1 : 0;
  }
  int result = action == AutostartAction::kStart ? StartAll(sequence, *path) : StopAll(sequence, *path, *parsed);
  return any_failed ? 1 : result;
}

}  // namespace uxc::cli

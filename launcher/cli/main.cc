// uxc: the command table and the dispatch to one command.
#include <cstdio>
#include <string>
#include <vector>

#include "launcher/cli/checkconfig.h"
#include "launcher/cli/command.h"
#include "launcher/cli/config_show.h"
#include "launcher/cli/create.h"
#include "launcher/cli/destroy.h"
#include "launcher/cli/execute.h"
#include "launcher/cli/attach.h"
#include "launcher/cli/autostart.h"
#include "launcher/cli/console.h"
#include "launcher/cli/freeze.h"
#include "launcher/cli/info.h"
#include "launcher/cli/ls.h"
#include "launcher/cli/monitor_end.h"
#include "launcher/cli/start.h"
#include "launcher/cli/stop.h"
#include "launcher/cli/wait.h"
#include "launcher/cli/run.h"
#include "launcher/cli/usernsexec.h"
#include "config/nearest_name.h"
#include "launcher/cli/version.h"
#include "launcher/engine/self_binary.h"

namespace uxc::cli {
namespace {

int RunHelp(const std::vector<std::string>& args);

// The commands, in the order `uxc --help` lists them. A new command is one
// line here, its own launcher/cli/<name>.{h,cc} and a target in BUILD.bazel.
const Command kCommands[] = {
    {"checkconfig", "check that this host lets you run unprivileged containers", RunCheckconfig},
    {"config", "show a container's effective config and where each value came from", RunConfig},
    {"execute", "run a command in a container as an application container", RunExecute},
    {"run", "run a command in a one-shot container that leaves nothing behind", RunRun},
    {"usernsexec", "run a command as root of a user namespace with your subordinate ids", RunUsernsexec},
    {"create", "make a container from a template: busybox, local, debian, download", RunCreate},
    {"destroy", "remove a container and its rootfs", RunDestroy},
    {"start", "boot a system container's init; it keeps running after uxc returns", RunStart},
    {"stop", "shut a running container down (halt signal, then kill after a timeout)", RunStop},
    {"autostart", "start (or -s: stop) the containers with lxc.start.auto = 1, in lxc.start.order", RunAutostart},
    {"ls", "list the containers with their state", RunLs},
    {"info", "show a container's state, pid, resource use and addresses", RunInfo},
    {"attach", "run a command inside a running container", RunAttach},
    {"console", "attach this terminal to a running container's console or a tty", RunConsole},
    {"wait", "wait until a container is RUNNING, FROZEN or STOPPED", RunWait},
    {"freeze", "freeze a container's processes (needs a delegated cgroup v2)", RunFreeze},
    {"unfreeze", "thaw a frozen container (needs a delegated cgroup v2)", RunUnfreeze},
    {"help", "show this overview, or a command's help: uxc help COMMAND", RunHelp},
};

std::string Overview() {
  std::string text =
      "Usage: uxc COMMAND [OPTIONS] [ARGUMENTS]\n"
      "       uxc --help | --version\n\n"
      "uxc runs Linux containers for users who are not root.\n\n"
      "Commands:\n";
  size_t width = 0;
  for (const Command& command : kCommands) width = std::max(width, std::string(command.name).size());
  for (const Command& command : kCommands) {
    std::string name = command.name;
    name.resize(width, ' ');
    text += "  " + name + "  " + command.summary + "\n";
  }
  text +=
      "\nOptions:\n"
      "  -h, --help     show this overview\n"
      "  -V, --version  print uxc's version\n\n"
      "Run `uxc COMMAND --help` for a command's options.\n";
  return text;
}

const Command* FindCommand(const std::string& name) {
  for (const Command& command : kCommands) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

int UnknownCommand(const std::string& name) {
  std::vector<std::string> names;
  for (const Command& command : kCommands) names.push_back(command.name);
  std::string nearest = config::NearestName(name, names);
  std::string hint = nearest.empty() ? "" : "; did you mean \"" + nearest + "\"?";
  std::fprintf(stderr, "uxc: unknown command \"%s\"%s Run `uxc --help` for the list.\n", name.c_str(),
               (hint.empty() ? "." : hint).c_str());
  return 2;
}

int RunHelp(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(Overview().c_str(), stdout);
    return 0;
  }
  const Command* command = FindCommand(args[0]);
  if (command == nullptr) return UnknownCommand(args[0]);
  if (command->run == RunHelp) return RunHelp({});
  return command->run({"--help"});
}

int Main(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(Overview().c_str(), stderr);
    return 2;
  }
  const std::string& first = args[0];
  if (first == "--help" || first == "-h") return RunHelp({});
  if (first == "--version" || first == "-V") {
    std::printf("uxc %s\n", kVersion);
    return 0;
  }
  if (first.starts_with("-")) {
    std::fprintf(stderr, "uxc: unknown option %s; options other than --help and --version go after the "
                 "command. Run `uxc --help`.\n", first.c_str());
    return 2;
  }
  if (first == kMonitorEndCommand) {  // internal: exec'd by uxc-monitor (monitor_end.h)
    return RunMonitorEnd(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  const Command* command = FindCommand(first);
  if (command == nullptr) return UnknownCommand(first);
  return command->run(std::vector<std::string>(args.begin() + 1, args.end()));
}

}  // namespace
}  // namespace uxc::cli

int main(int argc, char** argv) {
  // First, before anything can reach the container (launcher/engine/self_binary.h).
  uxc::launcher::RunFromSealedCopyIfExposed(argv);
  return uxc::cli::Main(std::vector<std::string>(argv + 1, argv + argc));
}

#include "launcher/cli/freeze.h"

#include <cstdio>

#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"

namespace uxc::cli {
namespace {

// Containers get no cgroup of their own yet (delegated cgroups are a later
// issue), so there is no cgroup.freeze to write: say so after the usual
// checks on the name.
int FreezeCommand(const std::string& command, const std::vector<std::string>& args) {
  std::vector<OptionSpec> options = ContainerOptions({});
  auto parsed = ParseArgs(command, options, args);
  if (!parsed.ok()) return FailWith(command, parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp(command, "NAME [-P DIR]",
                          "Writes cgroup.freeze of the container's own cgroup v2; needs a delegated cgroup v2.",
                          options)
                   .c_str(),
               stdout);
    return 0;
  }
  if (auto refused = RefuseBadName(command, *parsed)) return *refused;
  auto ref = NamedContainer(*parsed, command);
  if (!ref.ok()) return FailWith(command, ref.error());
  auto status = lifecycle::ProbeContainer(*ref);
  if (!status.ok()) return FailWith(command, status.error());
  if (status->state != lifecycle::RunState::kRunning) {
    return FailWith(command, PlainError("container '" + ref->name + "' is not running"));
  }
  return FailWith(command, PlainError("container '" + ref->name +
                                      "' has no cgroup of its own: " + command +
                                      " needs a delegated cgroup v2 (cgroup.freeze), which uxc does not set up "
                                      "yet; `uxc checkconfig` shows this host's cgroup layout"));
}

}  // namespace

int RunFreeze(const std::vector<std::string>& args) { return FreezeCommand("freeze", args); }
int RunUnfreeze(const std::vector<std::string>& args) { return FreezeCommand("unfreeze", args); }

}  // namespace uxc::cli

#include "launcher/cli/freeze.h"

#include <cstdio>

#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/lifecycle/payload_cgroup.h"

namespace uxc::cli {
namespace {

// How long the kernel may take to stop (restart) every task of the
// subtree: a task in uninterruptible sleep holds a freeze back.
constexpr int kFreezeTimeoutMs = 10000;

// lxc-freeze's and lxc-unfreeze's -n NAME and -P DIR.
const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = ContainerOptions({});
  return kOptions;
}

// A freeze that does not complete is taken back: the container must not
// be left half frozen.
Status Freeze(const kernel::Cgroup& cgroup) {
  Status frozen = cgroup.Freeze(kFreezeTimeoutMs);
  if (frozen.ok()) return frozen;
  (void)cgroup.Thaw(kFreezeTimeoutMs);
  return PlainError(frozen.error().ToString() +
                    "; the freeze is undone (a process in uninterruptible sleep, state D in ps, holds a freeze "
                    "back: try again once its I/O completes)");
}

Status FreezeOrThaw(const std::string& command, const lifecycle::ContainerRef& ref) {
  UXC_ASSIGN_OR_RETURN(lifecycle::ContainerStatus status, lifecycle::ProbeContainer(ref));
  if (status.state != lifecycle::RunState::kRunning) {
    return PlainError("container '" + ref.name + "' is not running (`uxc start " + ref.name + "` starts it)");
  }
  UXC_ASSIGN_OR_RETURN(std::optional<kernel::Cgroup> cgroup, lifecycle::OpenPayloadCgroup(ref.paths));
  if (!cgroup) return lifecycle::NoCgroupOfItsOwn(ref.name, command);
  return command == "freeze" ? Freeze(*cgroup) : cgroup->Thaw(kFreezeTimeoutMs);
}

int FreezeCommand(const std::string& command, const std::vector<std::string>& args) {
  auto parsed = ParseArgs(command, Options(), args);
  if (!parsed.ok()) return FailWith(command, parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp(command, "NAME [-P DIR]",
                          command == "freeze"
                              ? "Freezes every process of the container (cgroup.freeze of its own cgroup v2) and "
                                "returns once the kernel reports them all frozen; `uxc ls` and `uxc info` show "
                                "FROZEN. Needs a container started in a delegated cgroup v2."
                              : "Thaws a frozen container: its processes run on where they stopped.",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  if (auto refused = RefuseBadName(command, *parsed)) return *refused;
  auto ref = NamedContainer(*parsed, command);
  if (!ref.ok()) return FailWith(command, ref.error());
  Status done = FreezeOrThaw(command, *ref);
  return done.ok() ? 0 : FailWith(command, done.error());
}

}  // namespace

int RunFreeze(const std::vector<std::string>& args) { return FreezeCommand("freeze", args); }
int RunUnfreeze(const std::vector<std::string>& args) { return FreezeCommand("unfreeze", args); }

}  // namespace uxc::cli

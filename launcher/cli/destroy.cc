#include "launcher/cli/destroy.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "launcher/args/args.h"
#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/stop.h"
#include "launcher/lifecycle/container_status.h"
#include "launcher/lifecycle/release.h"
#include "launcher/lifecycle/runtime_dir.h"
#include "launcher/engine/rootfs_owner.h"
#include "launcher/engine/subordinate_ids.h"
#include "launcher/templates/caller.h"
#include "launcher/lifecycle/container_lock.h"
#include "launcher/templates/container_tree.h"
#include "launcher/templates/tree_ownership.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& DestroyOptions() {
  static const std::vector<OptionSpec> kOptions = {
      {"name", 'n', true, false, "NAME", "the container's name (or give it as the argument)"},
      {"lxcpath", 'P', true, false, "DIR", "the container lives in DIR instead of the container path"},
      {"force", 'f', false, false, "", "stop (kill) the container first when it runs, as lxc-destroy -f"},
  };
  return kOptions;
}

int Fail(const Error& error) { return FailWith("destroy", error); }

// -f: a container uxc runs is killed first; one LXC runs is left to the
// lock's refusal, which names lxc-stop.
Status StopIfRunning(const std::string& name, const std::string& container_path) {
  auto ref = lifecycle::ResolveContainer(name, container_path);
  if (!ref.ok()) return OkStatus();  // no config: nothing can run it
  auto status = lifecycle::ProbeContainer(*ref);
  if (!status.ok() || status->state != lifecycle::RunState::kRunning) return OkStatus();
  std::fprintf(stderr, "uxc destroy: container '%s' is running; stopping it (-f)\n", name.c_str());
  return KillAndWait(*ref);
}

// After -f's kill: the monitor closes its clients' connections a moment
// before it exits and the kernel drops the lock it holds, so the lock is
// retried for a bounded while.
Result<lifecycle::ContainerLock> AcquireAfterStop(const std::string& container_dir, const std::string& name) {
  constexpr int kTries = 200;  // 10 s in 50 ms steps
  for (int i = 1;; ++i) {
    auto lock = lifecycle::ContainerLock::TryAcquire(container_dir, name);
    if (lock.ok() || lock.error().errno_value != EWOULDBLOCK || i == kTries) return lock;
    usleep(50 * 1000);
  }
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// What changed since the rootfs was made, as `uxc start` says it, when the
// rootfs itself is of a range the caller has lost; nullopt otherwise.
std::optional<launcher::OwnerChange> RootfsOwnerChange(const std::string& container_dir,
                                                        const templates::CallerSetup& setup) {
  auto owner = launcher::StatRootfsOwner(container_dir + "/rootfs");
  if (!owner.ok()) return std::nullopt;
  launcher::Caller caller{setup.uid, setup.gid, setup.user_name};
  auto maps = launcher::DefaultIdMapFromHost(caller);
  if (!maps.ok()) return std::nullopt;
  return launcher::DescribeOwnerChange(*owner, *maps, caller);
}

// Refuses, before anything is removed, a container holding files of ids the
// caller can no longer map (a subordinate range moved or dropped since
// create): only root can remove those, and a partial removal would leave a
// container without a config.
Status CheckAllRemovable(const std::string& name, const std::string& container_dir,
                         const templates::CallerSetup& setup, const std::optional<templates::UsernsIds>& ids) {
  UXC_ASSIGN_OR_RETURN(auto foreign,
                       templates::FindFileOfUnmappedId("/proc/self/exe", setup.uid, setup.gid, ids, container_dir));
  if (!foreign.has_value()) return OkStatus();
  std::string message = "cannot remove " + *foreign + ": it belongs to an id you can no longer map";
  std::optional<launcher::OwnerChange> change = RootfsOwnerChange(container_dir, setup);
  if (change) message += " (the rootfs is owned by " + change->what + ")";
  message += ". Nothing was removed";
  std::string hint = "ask root to ";
  if (change) {
    hint += "give you back the range it was made with (`" + change->usermod + "`), then run `uxc destroy " + name +
            "` again; or to ";
  }
  return WithHint(PlainError(message), hint + "remove the container: `rm -rf --one-file-system -- " + container_dir + "`");
}

}  // namespace

int RunDestroy(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("destroy", DestroyOptions(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("destroy", "NAME [-P DIR] [-f]",
                          "Removes the container NAME: its config and its rootfs (through the user namespace, "
                          "as the files belong to its subordinate ids). Refuses while the container runs, "
                          "unless -f, which kills it first.",
                          DestroyOptions())
                   .c_str(),
               stdout);
    return 0;
  }
  std::string name = parsed->Value("name");
  if (name.empty() && parsed->positionals.size() == 1) name = parsed->positionals.front();
  if (name.empty() || parsed->positionals.size() > (parsed->Has("name") ? 0u : 1u)) {
    return Fail(UsageErrorFor("destroy", "give one container name: uxc destroy NAME"));
  }
  if (auto refused = RefuseBadName("destroy", name)) return *refused;
  auto caller = templates::LoadCallerSetup(parsed->Value("lxcpath"));
  if (!caller.ok()) return Fail(caller.error());
  std::string container_dir = caller->container_path + "/" + name;
  if (!IsDirectory(container_dir)) {
    return Fail(PlainError("no container '" + name + "' in " + caller->container_path +
                           " (use -P DIR for containers kept elsewhere)"));
  }
  if (!IsDirectory(container_dir + "/rootfs") && access((container_dir + "/config").c_str(), F_OK) != 0) {
    return Fail(PlainError(container_dir + " has neither a config nor a rootfs: not a container, left alone"));
  }
  if (parsed->Has("force")) {
    Status stopped = StopIfRunning(name, caller->container_path);
    if (!stopped.ok()) return Fail(stopped.error());
  }
  auto lock = parsed->Has("force") ? AcquireAfterStop(container_dir, name)
                                    : lifecycle::ContainerLock::TryAcquire(container_dir, name);
  if (!lock.ok()) return Fail(lock.error());

  std::string missing;
  auto ids = templates::CallerUsernsIds(*caller, &missing);
  if (!ids.ok()) return Fail(ids.error());
  Status removable = CheckAllRemovable(name, container_dir, *caller, *ids);
  if (!removable.ok()) return Fail(removable.error());
  // The lock is ours, so no monitor runs: what a killed one left is
  // released from its record (its post-stop hook runs, once), and the
  // runtime dir goes with the container.
  if (auto base = lifecycle::EnsureRuntimeBase(); base.ok()) {
    lifecycle::RuntimePaths paths = lifecycle::PathsFor(*base, name);
    lifecycle::ReleaseAbandoned(paths, name);
    lifecycle::RemoveRuntimeFiles(paths);
  }
  // Without subordinate ranges the rootfs can only belong to the caller.
  auto status = templates::RemoveContainerTree("/proc/self/exe", *ids, container_dir);
  if (!status.ok()) return Fail(status.error());
  std::printf("Destroyed container %s\n", name.c_str());
  return 0;
}

}  // namespace uxc::cli

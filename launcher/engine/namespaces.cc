#include "launcher/engine/namespaces.h"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <sstream>

#include "launcher/engine/config_keys.h"

namespace uxc::launcher {
namespace {

// Not in this build: a time namespace, and joining another's namespaces.
constexpr std::string_view kTimeRefused =
    "lxc.namespace.clone: a time namespace is not supported by uxc; remove \"time\"";
constexpr std::string_view kSharingRefused =
    "joining another container's or process's namespaces is not supported by uxc yet; remove the "
    "key (lxc.net.0.type = none shares the host's network)";

std::string TimeNamespaceLimit(std::string_view, std::string_view value) {
  for (std::string_view rest = value; !rest.empty();) {
    size_t end = rest.find_first_of(" \t");
    if (rest.substr(0, end) == "time") {
      return "ignored: uxc does not create a time namespace yet, so a start that asks for one is "
             "refused; remove \"time\"";
    }
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  return "";
}

constexpr std::string_view kIgnoredTimeOffset =
    "ignored: uxc does not create a time namespace, so the container's clocks are the host's";

constexpr config::BuildLimit kNamespaceLimits[] = {
    {"lxc.namespace.clone", {}, TimeNamespaceLimit},
    {"lxc.time.offset.boot", kIgnoredTimeOffset},
    {"lxc.time.offset.monotonic", kIgnoredTimeOffset},
    {"lxc.namespace.share.NS",
     "ignored: uxc cannot join another container's or process's namespaces yet, so a start with "
     "the key is refused; remove it (lxc.net.0.type = none shares the host's network)"},
};

// CLONE_NEWTIME is missing from older libc headers.
constexpr uint64_t kCloneNewTime = 0x00000080;

const NamespaceInfo* FindNamespace(const std::string& name) {
  std::string canonical = name == "mount" ? "mnt" : name;
  for (const NamespaceInfo& info : KnownNamespaces()) {
    if (canonical == info.name) return &info;
  }
  return nullptr;
}

std::string KnownNames() {
  std::string names;
  for (const NamespaceInfo& info : KnownNamespaces()) {
    if (!names.empty()) names += ", ";
    names += info.name;
  }
  return names;
}

Result<uint64_t> ParseNamespaceList(const config::ContainerConfig& config, const char* key) {
  uint64_t flags = 0;
  for (const std::string& value : config.GetList(key)) {
    std::istringstream words(value);
    std::string word;
    while (words >> word) {
      const NamespaceInfo* info = FindNamespace(word);
      if (info == nullptr) {
        return PlainError(std::string(key) + ": unknown namespace \"" + word + "\"; known are " +
                          KnownNames());
      }
      flags |= info->clone_flag;
    }
  }
  return flags;
}

}  // namespace

std::span<const config::BuildLimit> NamespaceBuildLimits() { return kNamespaceLimits; }

Status RefuseSharedNamespaces(const config::ContainerConfig& config) {
  std::vector<std::string> shared = config.KeysWithPrefix("lxc.namespace.share.");
  if (shared.empty()) return OkStatus();
  return KeyError(config, shared.front(), std::string(kSharingRefused));
}

const std::vector<NamespaceInfo>& KnownNamespaces() {
  static const std::vector<NamespaceInfo> kNamespaces = {
      {"user", "user", CLONE_NEWUSER},       {"mnt", "mnt", CLONE_NEWNS},
      {"pid", "pid", CLONE_NEWPID},          {"uts", "uts", CLONE_NEWUTS},
      {"ipc", "ipc", CLONE_NEWIPC},          {"net", "net", CLONE_NEWNET},
      {"cgroup", "cgroup", CLONE_NEWCGROUP}, {"time", "time", kCloneNewTime},
  };
  return kNamespaces;
}

Result<NamespacePlan> PlanNamespaces(const config::ContainerConfig& config,
                                     bool share_host_network) {
  NamespacePlan plan;
  plan.clone_flags =
      CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;
  if (!share_host_network) plan.clone_flags |= CLONE_NEWNET;

  UXC_ASSIGN_OR_RETURN(auto clone, ParseNamespaceList(config, "lxc.namespace.clone"));
  UXC_ASSIGN_OR_RETURN(auto keep, ParseNamespaceList(config, "lxc.namespace.keep"));
  if (clone != 0 && keep != 0) {
    return PlainError(
        "lxc.namespace.clone and lxc.namespace.keep are both set; set only one of them");
  }
  if (clone != 0) plan.clone_flags = clone;
  plan.clone_flags &= ~keep;

  if (!plan.has(CLONE_NEWUSER)) {
    return PlainError(
        "the namespace set leaves out \"user\": a rootless container needs its own user "
        "namespace; add user to lxc.namespace.clone or remove it from lxc.namespace.keep");
  }
  if (plan.has(kCloneNewTime)) return PlainError(std::string(kTimeRefused));
  if (plan.has(CLONE_NEWNET) && share_host_network) {
    return PlainError(
        "lxc.net.0.type = none shares the host's network, but lxc.namespace.clone asks for "
        "a network namespace; use lxc.net.0.type = empty or remove net");
  }
  return plan;
}

}  // namespace uxc::launcher

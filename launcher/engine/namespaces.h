// Which namespaces a container gets (lxc.namespace.clone / keep) and the
// clone3 call that creates its init in them.
#pragma once

#include <sched.h>
#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "config/keys.h"

namespace uxc::launcher {

struct NamespaceInfo {
  const char* name;       // LXC's name: "user", "mnt", "pid", ...
  const char* proc_name;  // the entry under /proc/PID/ns/
  uint64_t clone_flag;
};
// Every namespace uxc knows, in LXC's order.
const std::vector<NamespaceInfo>& KnownNamespaces();

struct NamespacePlan {
  uint64_t clone_flags = 0;  // every CLONE_NEW* the container gets
  bool has(uint64_t flag) const { return (clone_flags & flag) != 0; }

  // The network namespace is not made by clone3 but by the child, with
  // unshare(2), right after the clone, while the parent runs the id-map
  // helpers: of all namespaces it is the one that takes long to create
  // (about 0.4 ms here), and it needs nothing from the parent. Made from
  // inside the new user namespace, it is owned by it (user_namespaces(7)),
  // as sysfs and the container's CAP_NET_ADMIN need.
  uint64_t flags_at_clone() const { return clone_flags & ~static_cast<uint64_t>(CLONE_NEWNET); }
  bool unshares_network() const { return has(CLONE_NEWNET); }
};

// The default is every namespace but time; `share_host_network` (network type
// "none") leaves the network namespace out. lxc.namespace.clone names the set
// explicitly, lxc.namespace.keep removes from it. A rootless container always
// needs its own user namespace, so a set without it is refused.
Result<NamespacePlan> PlanNamespaces(const config::ContainerConfig& config,
                                     bool share_host_network);

// lxc.namespace.share.*: joining another's namespaces is not in this build.
Status RefuseSharedNamespaces(const config::ContainerConfig& config);

// What this build cannot do yet with the namespace keys (config/keys.h).
std::span<const config::BuildLimit> NamespaceBuildLimits();

}  // namespace uxc::launcher

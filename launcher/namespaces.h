// Which namespaces a container gets (lxc.namespace.clone / keep) and the
// clone3 call that creates its init in them.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"

namespace uxc::launcher {

struct NamespaceInfo {
  const char* name;       // LXC's name: "user", "mnt", "pid", ...
  const char* proc_name;  // the entry under /proc/PID/ns/
  uint64_t clone_flag;
};
// Every namespace uxc knows, in LXC's order.
const std::vector<NamespaceInfo>& KnownNamespaces();

struct NamespacePlan {
  uint64_t clone_flags = 0;  // CLONE_NEW* for clone3
  bool has(uint64_t flag) const { return (clone_flags & flag) != 0; }
};

// The default is every namespace but time; `share_host_network` (network type
// "none") leaves the network namespace out. lxc.namespace.clone names the set
// explicitly, lxc.namespace.keep removes from it. A rootless container always
// needs its own user namespace, so a set without it is refused.
Result<NamespacePlan> PlanNamespaces(const config::ContainerConfig& config,
                                     bool share_host_network);

}  // namespace uxc::launcher

#include "launcher/build_limits.h"

#include <vector>

#include "launcher/console.h"
#include "launcher/container_cgroup.h"
#include "launcher/mount_auto.h"
#include "launcher/namespaces.h"
#include "launcher/network.h"
#include "launcher/rootfs.h"

namespace uxc::launcher {

std::span<const config::BuildLimit> BuildLimits() {
  static const std::vector<config::BuildLimit> kAll = [] {
    std::vector<config::BuildLimit> all;
    for (std::span<const config::BuildLimit> planner :
         {NetworkBuildLimits(), NamespaceBuildLimits(), MountAutoBuildLimits(), RootfsBuildLimits(),
          ConsoleBuildLimits(), ContainerCgroupBuildLimits()}) {
      all.insert(all.end(), planner.begin(), planner.end());
    }
    return all;
  }();
  return kAll;
}

}  // namespace uxc::launcher

#include "launcher/engine/build_limits.h"

#include <vector>

#include "launcher/engine/console.h"
#include "launcher/engine/mount_auto.h"
#include "launcher/engine/namespaces.h"
#include "launcher/engine/network.h"
#include "launcher/engine/rootfs.h"

namespace uxc::launcher {

std::span<const config::BuildLimit> BuildLimits() {
  static const std::vector<config::BuildLimit> kAll = [] {
    std::vector<config::BuildLimit> all;
    for (std::span<const config::BuildLimit> planner :
         {NetworkBuildLimits(), NamespaceBuildLimits(), MountAutoBuildLimits(), RootfsBuildLimits(),
          ConsoleBuildLimits()}) {
      all.insert(all.end(), planner.begin(), planner.end());
    }
    return all;
  }();
  return kAll;
}

}  // namespace uxc::launcher

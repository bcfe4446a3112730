#include "launcher/engine/container_cgroup.h"

#include <string>

namespace uxc::launcher {
namespace {

// Device rules are a limit of their own: the key table says why only root
// can apply them, with or without a cgroup.
std::string Cgroup2Limit(std::string_view key, std::string_view) {
  if (key.starts_with("lxc.cgroup2.devices.")) return "";
  return "ignored: uxc does not create cgroups for containers yet, so the container runs in your "
         "own cgroup without this limit";
}

constexpr config::BuildLimit kCgroupLimits[] = {{"lxc.cgroup2.CONTROLLER.FILE", {}, Cgroup2Limit}};

}  // namespace

std::span<const config::BuildLimit> ContainerCgroupBuildLimits() { return kCgroupLimits; }

}  // namespace uxc::launcher

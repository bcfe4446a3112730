#include "launcher/engine/cgroup_plan.h"

#include <unistd.h>

#include <algorithm>

#include "config/values.h"
#include "launcher/engine/config_keys.h"

namespace uxc::launcher {
namespace {

constexpr std::string_view kLimitPrefix = "lxc.cgroup2.";

// As LXC's set_config_cgroup_dir: relative to the delegation point, never
// walking upwards.
Status CheckDirValue(const config::ContainerConfig& config, std::string_view key, const std::string& value) {
  if (value.starts_with("/")) {
    return KeyError(config, key, "the path is relative to your delegated cgroup; remove the leading '/'");
  }
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = std::min(value.find('/', start), value.size());
    std::string_view part = std::string_view(value).substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      return KeyError(config, key, "each part of the path names a cgroup (no empty part, \".\" or \"..\")");
    }
    start = end + 1;
  }
  return OkStatus();
}

Result<std::string> DirOf(const config::ContainerConfig& config, std::string_view key) {
  std::string value = config.GetOr(key, "");
  if (!value.empty()) UXC_RETURN_IF_ERROR(CheckDirValue(config, key, value));
  return value;
}

Status PlanPlacement(const config::ContainerConfig& config, const std::string& name, CgroupPlan& plan) {
  UXC_ASSIGN_OR_RETURN(std::string dir, DirOf(config, "lxc.cgroup.dir"));
  UXC_ASSIGN_OR_RETURN(std::string container, DirOf(config, "lxc.cgroup.dir.container"));
  UXC_ASSIGN_OR_RETURN(std::string monitor, DirOf(config, "lxc.cgroup.dir.monitor"));
  if (container.empty() != monitor.empty()) {
    std::string set = container.empty() ? "lxc.cgroup.dir.monitor" : "lxc.cgroup.dir.container";
    return KeyError(config, set, "set lxc.cgroup.dir.container and lxc.cgroup.dir.monitor together");
  }
  if (!container.empty() && !dir.empty()) {
    return KeyError(config, "lxc.cgroup.dir",
                    "lxc.cgroup.dir and lxc.cgroup.dir.container/.monitor exclude each other; keep one");
  }
  if (!container.empty() && container == monitor) {
    return KeyError(config, "lxc.cgroup.dir.monitor", "the monitor's cgroup must differ from the container's");
  }
  std::string base = name.empty() ? "run." + std::to_string(getpid()) : name;
  std::string prefix = dir.empty() ? "" : dir + "/";
  plan.payload = container.empty() ? prefix + "uxc.payload." + base : container;
  plan.monitor = monitor.empty() ? prefix + "uxc.monitor." + base : monitor;
  return OkStatus();
}

}  // namespace

Result<CgroupPlan> PlanCgroup(const config::ContainerConfig& config, const std::string& name) {
  CgroupPlan plan;
  plan.name = name;
  UXC_RETURN_IF_ERROR(PlanPlacement(config, name, plan));
  for (const config::Entry& entry : config.entries()) {
    if (!entry.key.starts_with(kLimitPrefix) || entry.key.starts_with("lxc.cgroup2.devices.")) continue;
    UXC_ASSIGN_OR_RETURN(config::CgroupSetting setting, config::ParseCgroup2Key(entry.key));
    plan.limits.push_back({entry.key, setting.controller, setting.file, entry.value, entry.origin.ToString()});
    if (setting.controller != "cgroup") plan.controllers.push_back(setting.controller);
  }
  std::sort(plan.controllers.begin(), plan.controllers.end());
  plan.controllers.erase(std::unique(plan.controllers.begin(), plan.controllers.end()), plan.controllers.end());
  return plan;
}

}  // namespace uxc::launcher

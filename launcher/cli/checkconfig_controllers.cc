#include "launcher/cli/checkconfig_controllers.h"

#include <algorithm>

#include "kernel/cgroup_files.h"

namespace uxc::cli {
namespace {

struct Controller {
  const char* name;
  const char* v1_name;        // its cgroup v1 hierarchy's name
  const char* kernel_option;  // what a kernel needs for it
};

constexpr Controller kControllers[] = {
    {"memory", "memory", "CONFIG_MEMCG"},       {"pids", "pids", "CONFIG_CGROUP_PIDS"},
    {"cpu", "cpu", "CONFIG_CGROUP_SCHED"},      {"cpuset", "cpuset", "CONFIG_CPUSETS"},
    {"io", "blkio", "CONFIG_BLK_CGROUP"},       {"hugetlb", "hugetlb", "CONFIG_CGROUP_HUGETLB"},
};

constexpr char kUnifiedFix[] =
    "boot with the unified hierarchy alone: add systemd.unified_cgroup_hierarchy=1 to the kernel command line "
    "(OpenRC: rc_cgroup_mode=\"unified\" in /etc/rc.conf)";

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string KeysOf(const Controller& controller) { return "lxc.cgroup2." + std::string(controller.name) + ".*"; }

// The v1 mount point of `v1_name`, or "" when none.
std::string V1MountOf(const kernel::CgroupLayout& layout, const std::string& v1_name) {
  for (const kernel::CgroupMount& mount : layout.v1_mounts) {
    if (Has(mount.controllers, v1_name)) return mount.mount_point;
  }
  return "";
}

// A delegated cgroup that lacks a controller: under systemd its unit's
// Delegate= left it out (user@.service delegates cpu, memory and pids
// only); elsewhere a parent did not enable it.
std::string DelegateFix(const Controller& controller, const std::string& path) {
  if (path.find("/user@") != std::string::npos || path.find(".scope") != std::string::npos) {
    return "ask root for /etc/systemd/system/user@.service.d/delegate.conf with \"[Service]\" and "
           "\"Delegate=cpu cpuset io memory pids\", then `systemctl daemon-reload`; log in again (or start "
           "uxc under `systemd-run --user --scope -p Delegate=yes`)";
  }
  return "ask root to enable " + std::string(controller.name) + " in cgroup.subtree_control of every cgroup "
         "above " + path + " (pam_uxc: its controllers= option, docs/pam.md)";
}

Check ControllerCheck(const HostFacts& facts, const kernel::CgroupLayout& layout, const Controller& controller) {
  std::string keys = KeysOf(controller);
  std::string v1_mount = V1MountOf(layout, controller.v1_name);
  if (!v1_mount.empty()) {
    return {"Cgroups", CheckStatus::kLimited, controller.name,
            "on cgroup v1 (" + v1_mount + "), which uxc does not use: a start with " + keys + " fails",
            kUnifiedFix};
  }
  std::vector<std::string> root = kernel::ParseControllerList(facts.cgroup2_root_controllers);
  if (!Has(root, controller.name)) {
    return {"Cgroups", CheckStatus::kLimited, controller.name,
            "not in this kernel's cgroup2 (its root's cgroup.controllers): a start with " + keys + " fails",
            "boot a kernel built with " + std::string(controller.kernel_option)};
  }
  if (!facts.own_cgroup2 || !facts.own_cgroup2->writable) {
    return {"Cgroups", CheckStatus::kLimited, controller.name,
            "on cgroup v2, but no cgroup is delegated to you: a start with " + keys +
                " fails until one is (the delegation line says how)",
            ""};
  }
  const Cgroup2DirFacts& own = *facts.own_cgroup2;
  if (!Has(kernel::ParseControllerList(own.controllers), controller.name)) {
    return {"Cgroups", CheckStatus::kLimited, controller.name,
            "on cgroup v2, but not delegated to you (" + own.path + "/cgroup.controllers has \"" +
                own.controllers + "\"): a start with " + keys + " fails",
            DelegateFix(controller, own.path)};
  }
  return {"Cgroups", CheckStatus::kOk, controller.name, "on cgroup v2 and delegated to you: " + keys + " apply",
          ""};
}

}  // namespace

std::vector<Check> CheckControllers(const HostFacts& facts, const kernel::CgroupLayout& layout) {
  std::vector<Check> checks;
  for (const Controller& controller : kControllers) checks.push_back(ControllerCheck(facts, layout, controller));
  return checks;
}

}  // namespace uxc::cli

// The container's own cgroup, planned from the config: where it goes under
// the caller's delegated cgroup (lxc.cgroup.dir, lxc.cgroup.dir.container,
// lxc.cgroup.dir.monitor, as LXC reads them) and the lxc.cgroup2.* limits
// written into it before the init runs. Acquired by the start's cgroup
// concern (lifecycle/cgroup_concern.h).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"

namespace uxc::launcher {

struct CgroupLimit {
  std::string key;         // "lxc.cgroup2.memory.max"
  std::string controller;  // "memory"; "cgroup" for the core files
  std::string file;        // "memory.max"
  std::string value;
  std::string origin;  // "file:line", for errors
};

struct CgroupPlan {
  std::string name;  // the container's, for messages
  // Paths below the delegation point, one component or more:
  // uxc.payload.NAME and uxc.monitor.NAME (LXC's lxc.payload.NAME), below
  // lxc.cgroup.dir when set; lxc.cgroup.dir.container and .monitor as given.
  std::string payload;
  std::string monitor;
  // In config order; each value of a key written in turn.
  std::vector<CgroupLimit> limits;
  // The controllers the limits need, sorted, without the core ("cgroup").
  std::vector<std::string> controllers;
};

// `name` is the container's; "" for a config-less `uxc run`, whose cgroups
// are named for the launcher's pid.
Result<CgroupPlan> PlanCgroup(const config::ContainerConfig& config, const std::string& name);

// The one line a start says when it runs without a cgroup of its own.
constexpr const char* kNoOwnCgroupNote =
    "no cgroup is delegated to you: the container has no cgroup of its own and runs in yours (docs/config.md, "
    "\"Cgroups\")";

}  // namespace uxc::launcher

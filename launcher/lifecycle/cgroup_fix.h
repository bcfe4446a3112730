// Why a container's limit cannot be applied on this host, and the exact fix
// for it: limits never fail open (docs/security.md). Pure: the start's
// cgroup concern (cgroup_concern.h) reads the host.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "kernel/cgroup_layout.h"
#include "launcher/engine/cgroup_plan.h"

namespace uxc::lifecycle {

struct CgroupHost {
  kernel::CgroupMode mode = kernel::CgroupMode::kUnified;
  std::vector<std::string> v1_controllers;  // bound to a v1 hierarchy
  bool systemd = false;  // PID 1 is systemd (/run/systemd/system)
  bool openrc = false;   // /run/openrc
  // The delegation point, "" when none: what the caller may make cgroups in.
  std::string delegation;
  std::vector<std::string> available;  // its cgroup.controllers
  std::string container;  // the container's name, for the commands shown
};

// The first limit of `plan` that cannot be applied here, as an error that
// names its key and file:line, why, and what to do; OK when every limit can.
Status CheckLimitsApply(const launcher::CgroupPlan& plan, const CgroupHost& host);

}  // namespace uxc::lifecycle

// A running container's own cgroup (uxc.payload.NAME), found from the
// acquired record in its runtime dir (recorded_cgroup.h): what freeze,
// stop, info and ls use. A container started without a delegated cgroup
// has none.
#pragma once

#include <optional>
#include <string>

#include "base/error.h"
#include "kernel/cgroup.h"
#include "launcher/lifecycle/container_status.h"

namespace uxc::lifecycle {

// The payload cgroup of the start whose record is in `paths.dir`; nullopt
// when its start placed it in no cgroup of its own.
Result<std::optional<kernel::Cgroup>> OpenPayloadCgroup(const RuntimePaths& paths);

// The state as lxc-ls and lxc-info name it: FROZEN for a running container
// whose payload cgroup is frozen (cgroup.events "frozen 1"), else
// RUNNING or STOPPED.
std::string ShownState(const ContainerStatus& status, const RuntimePaths& paths);

// The error for a command that needs the container's cgroup when it has
// none: why, and how to start it with one.
Error NoCgroupOfItsOwn(const std::string& name, const std::string& command);

}  // namespace uxc::lifecycle

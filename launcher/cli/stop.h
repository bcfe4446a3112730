#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/lifecycle/container_status.h"

namespace uxc::cli {

// Kills the running container `ref` with lxc.signal.stop and waits until its
// monitor is gone (destroy -f).
Status KillAndWait(const lifecycle::ContainerRef& ref);

// uxc stop NAME [-t SECONDS] [-k]: shuts the container down.
int RunStop(const std::vector<std::string>& args);

}  // namespace uxc::cli

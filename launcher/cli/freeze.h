#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

// uxc freeze NAME / uxc unfreeze NAME: cgroup.freeze of the container's own
// cgroup v2, which needs a delegated cgroup.
int RunFreeze(const std::vector<std::string>& args);
int RunUnfreeze(const std::vector<std::string>& args);

}  // namespace uxc::cli

#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

// uxc info NAME: the container's state, pid, resource use and addresses.
int RunInfo(const std::vector<std::string>& args);

}  // namespace uxc::cli

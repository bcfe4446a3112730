#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

// uxc stop NAME [-t SECONDS] [-k]: shuts the container down.
int RunStop(const std::vector<std::string>& args);

}  // namespace uxc::cli

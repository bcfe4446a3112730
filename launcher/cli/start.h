#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

// uxc start NAME [-F] [-s KEY=VALUE]...: boots the container's init.
int RunStart(const std::vector<std::string>& args);

}  // namespace uxc::cli

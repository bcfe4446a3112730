#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

// uxc console NAME [-t N]: attaches this terminal to the container's console or ttyN.
int RunConsole(const std::vector<std::string>& args);

}  // namespace uxc::cli

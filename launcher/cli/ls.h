#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

// uxc ls: lists the containers and their state.
int RunLs(const std::vector<std::string>& args);

}  // namespace uxc::cli

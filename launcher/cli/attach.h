#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

// uxc attach NAME [-- CMD]: runs CMD in the running container's namespaces.
int RunAttach(const std::vector<std::string>& args);

}  // namespace uxc::cli

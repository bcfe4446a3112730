#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

// uxc wait NAME -s STATE: waits until the container is in STATE.
int RunWait(const std::vector<std::string>& args);

}  // namespace uxc::cli

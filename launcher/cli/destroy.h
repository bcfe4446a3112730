// `uxc destroy NAME [-P DIR]`: removes a container's directory, its rootfs
// through the user namespace, unless the container is running.
#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

int RunDestroy(const std::vector<std::string>& args);

}  // namespace uxc::cli

// `uxc create NAME -t TEMPLATE [-P DIR] [--] [template options]`: makes
// <container path>/NAME/{config,rootfs} from a template, like lxc-create.
#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

int RunCreate(const std::vector<std::string>& args);

}  // namespace uxc::cli

// `uxc config show NAME|FILE [-s KEY=VALUE]...`: a container's effective
// config after layering, each value with the file and line it came from.
#pragma once

#include <string>
#include <vector>

#include "config/container_config.h"

namespace uxc::cli {

// `uxc config SUBCOMMAND ...`; today the one subcommand is `show`.
int RunConfig(const std::vector<std::string>& args);

// The lines `uxc config show` prints: "key = value" padded to a column, then
// "# origin", with `home` abbreviated to "~" in origins.
std::string FormatEffectiveConfig(const config::ContainerConfig& config, const std::string& home);

// The config file a NAME|FILE argument names: an argument with a '/' is a
// FILE ("./c1.conf"); anything else is a NAME, <container_path>/NAME/config.
std::string ConfigFileFor(const std::string& name_or_file, const std::string& container_path);

}  // namespace uxc::cli

// `uxc config show NAME|FILE [-s KEY=VALUE]...`: a container's effective
// config after layering, each value with the file and line it came from,
// as a config that loads back (or --format table|json).
#pragma once

#include <string>
#include <vector>

#include "config/container_config.h"

namespace uxc::cli {

// `uxc config SUBCOMMAND ...`: `show`, or `keys` (config_key_table.h).
int RunConfig(const std::vector<std::string>& args);

// What `uxc config show` prints: a config that loads back, each
// "key = value" under a "# origin" comment line, with `home` abbreviated to
// "~" in origins.
std::string FormatEffectiveConfig(const config::ContainerConfig& config, const std::string& home);
// --format table: "key = value" padded to a column, then "# origin".
std::string FormatEffectiveConfigTable(const config::ContainerConfig& config, const std::string& home);
// --format json: [{"key", "value", "file" (null for -s), "line"}...].
std::string FormatEffectiveConfigJson(const config::ContainerConfig& config);

// The config file a NAME|FILE argument names: an argument with a '/' is a
// FILE ("./c1.conf"); anything else is a NAME, <container_path>/NAME/config.
std::string ConfigFileFor(const std::string& name_or_file, const std::string& container_path);

}  // namespace uxc::cli

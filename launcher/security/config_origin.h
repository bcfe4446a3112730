// Where a config key got its effective value, for messages that point the
// user at the line to change.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/container_config.h"

namespace uxc::security {

// The origin of the effective value of `key`, or nullopt when it is unset.
std::optional<config::Origin> OriginOf(const config::ContainerConfig& config,
                                       std::string_view key);

// "file:line" of `key`, or "the configuration" when it is unset.
std::string WhereSet(const config::ContainerConfig& config, std::string_view key);

}  // namespace uxc::security

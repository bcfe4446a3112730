// Small helpers for reading a validated container config in the planners:
// errors that name the line that set a key, and typed values.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "config/container_config.h"

namespace uxc::launcher {

// An error "file:line: key = value: message" for `key`'s effective entry.
Error KeyError(const config::ContainerConfig& config, std::string_view key,
               const std::string& message);
// The same prefix on `error`'s message; its errno and hint stay.
Error KeyError(const config::ContainerConfig& config, std::string_view key, Error error);

// A boolean key (config::ParseBool syntax) with a default.
Result<bool> GetBool(const config::ContainerConfig& config, std::string_view key, bool fallback);

// A signal key (lxc.signal.halt, ...: a name or a number) with a default,
// also for a value PlanStart would have refused.
int SignalOr(const config::ContainerConfig& config, std::string_view key, int fallback);

// A decimal integer key in [min, max] with a default.
Result<long long> GetInteger(const config::ContainerConfig& config, std::string_view key,
                             long long fallback, long long min, long long max);

}  // namespace uxc::launcher

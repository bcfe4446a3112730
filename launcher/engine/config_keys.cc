#include "launcher/engine/config_keys.h"

#include <charconv>

#include "config/values.h"

namespace uxc::launcher {

int SignalOr(const config::ContainerConfig& config, std::string_view key, int fallback) {
  auto value = config.Get(std::string(key));
  if (!value) return fallback;
  auto parsed = config::ParseSignal(*value);
  return parsed.ok() ? *parsed : fallback;
}

Error KeyError(const config::ContainerConfig& config, std::string_view key,
               const std::string& message) {
  return KeyError(config, key, PlainError(message));
}

Error KeyError(const config::ContainerConfig& config, std::string_view key, Error error) {
  const config::Entry* entry = config.EffectiveEntry(key);
  if (entry == nullptr) return Annotate(std::move(error), std::string(key));
  return Annotate(std::move(error), entry->origin.ToString() + ": " + std::string(key) + " = " + entry->value);
}

Result<bool> GetBool(const config::ContainerConfig& config, std::string_view key, bool fallback) {
  auto value = config.Get(key);
  if (!value) return fallback;
  auto parsed = config::ParseBool(*value);
  if (!parsed.ok()) return KeyError(config, key, parsed.error().ToString());
  return *parsed;
}

Result<long long> GetInteger(const config::ContainerConfig& config, std::string_view key,
                             long long fallback, long long min, long long max) {
  auto value = config.Get(key);
  if (!value) return fallback;
  long long parsed = 0;
  const char* end = value->data() + value->size();
  auto [ptr, ec] = std::from_chars(value->data(), end, parsed);
  if (ec != std::errc() || ptr != end || parsed < min || parsed > max) {
    return KeyError(
        config, key,
        "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return parsed;
}

}  // namespace uxc::launcher

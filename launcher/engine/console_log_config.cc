#include "launcher/engine/console_log_config.h"

#include <filesystem>
#include <system_error>

#include "config/values.h"

namespace uxc::launcher {
namespace {

// The keys' validators (config/keys.cc) refused bad sizes at load time.
uint64_t SizeOr(const config::ContainerConfig& config, const char* key, uint64_t fallback) {
  auto value = config.Get(key);
  if (!value || *value == "auto") return fallback;
  auto parsed = config::ParseSize(*value);
  return parsed.ok() ? *parsed : fallback;
}

}  // namespace

std::optional<ConsoleLogSettings> ConsoleLogSettingsFrom(const config::ContainerConfig& config) {
  auto path = config.Get("lxc.console.logfile");
  if (!path || path->empty()) return std::nullopt;
  ConsoleLogSettings settings;
  // The monitor renames the log by this path long after the start: a
  // relative one is made absolute while the caller's directory is known.
  std::error_code ignored;
  settings.path = std::filesystem::absolute(*path, ignored).string();
  if (settings.path.empty()) settings.path = *path;
  settings.rootfs = config::RootfsDirectory(config.GetOr("lxc.rootfs.path", ""));
  uint64_t buffer = SizeOr(config, "lxc.console.buffer.size", kDefaultConsoleBufferSize);
  settings.limit = SizeOr(config, "lxc.console.size", 0);
  if (auto size = config.Get("lxc.console.size"); size && *size == "auto") settings.limit = buffer;
  if (auto rotate = config.Get("lxc.console.rotate")) {
    auto parsed = config::ParseBool(*rotate);
    settings.rotate = parsed.ok() && *parsed;
  }
  return settings;
}

}  // namespace uxc::launcher

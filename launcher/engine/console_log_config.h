// What lxc.console.logfile, lxc.console.size and lxc.console.rotate ask of
// the console log, for the detached monitor and the foreground start alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/container_config.h"

namespace uxc::launcher {

struct ConsoleLogSettings {
  std::string path;  // absolute
  uint64_t limit = 0;  // lxc.console.size in bytes; 0: no limit
  bool rotate = false;
  std::string rootfs;  // lxc.rootfs.path: a log inside it is opened confined to it
};

// lxc.console.buffer.size when unset or "auto".
constexpr uint64_t kDefaultConsoleBufferSize = 64 * 1024;

// None when the config sets no (or an empty) lxc.console.logfile. "auto" as
// the size means the console buffer's size (lxc.console.buffer.size).
std::optional<ConsoleLogSettings> ConsoleLogSettingsFrom(const config::ContainerConfig& config);

}  // namespace uxc::launcher

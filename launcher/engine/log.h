// uxc's own log of a start (lxc.log.file, lxc.log.level; `uxc start -o FILE
// -l LEVEL`), as LXC keeps one: one line per step, appended to the file,
//   uxc c1 20261124205700.123 DEBUG start - cloned the init: pid 4242
// with the levels and numbers LXC uses (TRACE 0 .. FATAL 8, default ERROR).
// Without lxc.log.file nothing is written. The log belongs to the process
// (each process that starts or ends a container opens it from the config);
// code between clone and exec does not log (it must not allocate).
#pragma once

#include <time.h>

#include <string>
#include <string_view>

#include "base/error.h"
#include "config/container_config.h"

namespace uxc::log {

enum class Level { kTrace, kDebug, kInfo, kNotice, kWarn, kError, kCrit, kAlert, kFatal };

// "DEBUG", "debug" or "1"; NOTSET is the default, ERROR.
Result<Level> ParseLevel(std::string_view text);
const char* LevelName(Level level);

struct LogPlan {
  std::string file;  // absolute; empty: no log
  Level level = Level::kError;
  std::string name;  // the container's
  std::string rootfs;  // lxc.rootfs.path: a log inside it is opened confined to it
};

// From lxc.log.file (a relative path is taken from the working directory,
// as LXC does) and lxc.log.level; errors name the key's file:line.
Result<LogPlan> PlanLog(const config::ContainerConfig& config, const std::string& name);

// Opens the file (created mode 0600, appended to, not through a symlink,
// and inside the rootfs resolved as in the container: base/append_file.h)
// as this process's log. Reopening the same plan keeps the open file.
Status OpenLog(const LogPlan& plan);

// Whether a line of `level` would be written.
bool Enabled(Level level);

// Appends one line in a single write(2), so that the lines of the
// processes sharing the file do not mix.
void Write(Level level, std::string_view category, std::string_view message);

// The line, with its newline.
std::string FormatLine(std::string_view name, const timespec& when, Level level, std::string_view category,
                       std::string_view message);

inline void Debug(std::string_view category, std::string_view message) {
  Write(Level::kDebug, category, message);
}
inline void Info(std::string_view category, std::string_view message) { Write(Level::kInfo, category, message); }
inline void Warn(std::string_view category, std::string_view message) { Write(Level::kWarn, category, message); }
inline void Error(std::string_view category, std::string_view message) {
  Write(Level::kError, category, message);
}

}  // namespace uxc::log

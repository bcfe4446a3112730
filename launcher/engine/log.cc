#include "launcher/engine/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstdio>

#include "base/append_file.h"
#include "base/unique_fd.h"
#include "config/values.h"

namespace uxc::log {
namespace {

constexpr std::array<const char*, 9> kNames = {"TRACE", "DEBUG", "INFO",  "NOTICE", "WARN",
                                                "ERROR", "CRIT",  "ALERT", "FATAL"};

struct ProcessLog {
  UniqueFd fd;
  std::string file;
  Level level = Level::kError;
  std::string name;
};

ProcessLog& TheLog() {
  static ProcessLog* log = new ProcessLog();  // never destroyed: used until exit
  return *log;
}

}  // namespace

Result<Level> ParseLevel(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "NOTSET") return Level::kError;
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (upper == kNames[i] || upper == std::to_string(i)) return static_cast<Level>(i);
  }
  return PlainError("not a log level: \"" + std::string(text) +
                    "\"; use TRACE, DEBUG, INFO, NOTICE, WARN, ERROR, CRIT, ALERT, FATAL or 0-8");
}

const char* LevelName(Level level) { return kNames[static_cast<size_t>(level)]; }

Result<LogPlan> PlanLog(const config::ContainerConfig& config, const std::string& name) {
  LogPlan plan;
  plan.name = name;
  if (auto level = config.Get("lxc.log.level"); level && !level->empty()) {
    auto parsed = ParseLevel(*level);
    if (!parsed.ok()) {
      return Annotate(parsed.take_error(), config::WhereSet(config, "lxc.log.level"));
    }
    plan.level = *parsed;
  }
  plan.rootfs = config::RootfsDirectory(config.GetOr("lxc.rootfs.path", ""));
  if (auto file = config.Get("lxc.log.file"); file && !file->empty()) {
    plan.file = *file;
    if (plan.file.front() != '/') {
      char cwd[4096];
      if (getcwd(cwd, sizeof cwd) == nullptr) {
        return Annotate(ErrnoError("find the working directory for the relative log file " + plan.file),
                        config::WhereSet(config, "lxc.log.file"));
      }
      plan.file = std::string(cwd) + "/" + plan.file;
    }
  }
  return plan;
}

Status OpenLog(const LogPlan& plan) {
  ProcessLog& log = TheLog();
  log.level = plan.level;
  log.name = plan.name;
  if (plan.file.empty()) {
    log.fd.Reset();
    log.file.clear();
    return OkStatus();
  }
  if (log.fd && log.file == plan.file) return OkStatus();
  UXC_ASSIGN_OR_RETURN(auto opened, OpenAppendFile(plan.file, plan.rootfs, "the log file (lxc.log.file)"));
  log.fd = std::move(opened.fd);
  log.file = plan.file;
  return OkStatus();
}

bool Enabled(Level level) {
  const ProcessLog& log = TheLog();
  return log.fd && level >= log.level;
}

std::string FormatLine(std::string_view name, const timespec& when, Level level, std::string_view category,
                       std::string_view message) {
  tm utc;
  gmtime_r(&when.tv_sec, &utc);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d%02d%02d%02d%02d%02d.%03ld", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, when.tv_nsec / 1000000);
  std::string line = "uxc ";
  line.append(name).append(" ").append(stamp).append(" ").append(LevelName(level)).append(" ");
  line.append(category).append(" - ");
  for (char c : message) line.push_back(c == '\n' ? ' ' : c);
  line.push_back('\n');
  return line;
}

void Write(Level level, std::string_view category, std::string_view message) {
  if (!Enabled(level)) return;
  timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  const ProcessLog& log = TheLog();
  std::string line = FormatLine(log.name, now, level, category, message);
  (void)!write(log.fd.get(), line.data(), line.size());
}

}  // namespace uxc::log

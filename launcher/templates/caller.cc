#include "launcher/templates/caller.h"

#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/free_subid_range.h"
#include "config/subid.h"
#include "config/tool_settings.h"

namespace uxc::templates {
namespace {

std::string UserName(uid_t uid) {
  struct passwd* pw = getpwuid(uid);
  return pw ? pw->pw_name : std::to_string(uid);
}

// "/a/./b//c/" -> "/a/b/c": the path as the config will name it.
std::string WithoutDotsAndSlashes(const std::string& path) {
  std::string clean;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string component = path.substr(start, end - start);
    if (!component.empty() && component != ".") clean += "/" + component;
    start = end + 1;
  }
  return clean.empty() ? "/" : clean;
}

}  // namespace

Result<CallerSetup> LoadCallerSetup(const std::string& path_override) {
  config::ToolEnvironment env = config::CurrentToolEnvironment();
  UXC_ASSIGN_OR_RETURN(auto settings, config::LoadToolSettings(env));
  CallerSetup caller;
  caller.container_path = path_override.empty() ? settings.container_path : path_override;
  if (caller.container_path.empty()) return PlainError("the container path is empty: give -P DIR");
  if (caller.container_path.front() != '/') {
    // The config names the rootfs by absolute path; a relative -P is taken from here.
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return ErrnoError("find the current directory for -P " + path_override);
    caller.container_path = std::string(cwd) + "/" + caller.container_path;
  }
  caller.container_path = WithoutDotsAndSlashes(caller.container_path);
  const char* cache_home = getenv("XDG_CACHE_HOME");
  caller.cache_home = cache_home && *cache_home == '/' ? cache_home : env.home + "/.cache";
  std::string config_home = env.xdg_config_home.empty() ? env.home + "/.config" : env.xdg_config_home;
  caller.default_config = config_home + "/uxc/default.conf";
  caller.uid = getuid();
  caller.gid = getgid();
  caller.user_name = UserName(caller.uid);
  return caller;
}

Result<std::optional<UsernsIds>> CallerUsernsIds(const CallerSetup& caller, std::string* missing) {
  UsernsIds ids;
  ids.uid = caller.uid;
  ids.gid = caller.gid;
  for (auto [file, range] : {std::pair{"/etc/subuid", &ids.subuid}, std::pair{"/etc/subgid", &ids.subgid}}) {
    auto entries = config::ParseSubidFile(file, config::QuotableLines{{caller.user_name}, caller.uid});
    if (!entries.ok()) {
      if (entries.error().errno_value != ENOENT) return entries.take_error();
      *missing = file;
      return std::optional<UsernsIds>();
    }
    auto mine = config::RangesFor(*entries, caller.user_name, caller.uid);
    if (mine.empty()) {
      *missing = file;
      return std::optional<UsernsIds>();
    }
    range->start = mine.front().start;
    range->count = mine.front().count;
  }
  return std::optional<UsernsIds>(ids);
}

Error NoSubordinateRangesError(const CallerSetup& caller, const std::string& missing) {
  std::string flag = missing == "/etc/subgid" ? "--add-subgids" : "--add-subuids";
  return PlainError("no " + missing + " entry for " + caller.user_name +
                    ": a container's files belong to its subordinate ids; ask root to run `usermod " + flag +
                    " " + config::FreeSubidRangeOnThisHost(caller.user_name, caller.uid) + " " + caller.user_name + "`");
}

}  // namespace uxc::templates

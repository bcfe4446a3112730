// What create and destroy need to know about the calling user: where their
// containers live, their subordinate ranges, their default.conf.
#pragma once

#include <optional>
#include <string>

#include "base/error.h"
#include "launcher/templates/userns_command.h"

namespace uxc::templates {

struct CallerSetup {
  std::string container_path;  // from uxc.conf / XDG_DATA_HOME, or -P
  std::string cache_home;      // $XDG_CACHE_HOME or ~/.cache
  std::string default_config;  // $XDG_CONFIG_HOME/uxc/default.conf or ~/.config/uxc/default.conf
  std::string user_name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// `path_override` is -P's value (empty when not given).
Result<CallerSetup> LoadCallerSetup(const std::string& path_override);

// The caller's first /etc/subuid and /etc/subgid ranges, or nullopt when the
// caller has none (then `missing` says which file lacks an entry).
Result<std::optional<UsernsIds>> CallerUsernsIds(const CallerSetup& caller, std::string* missing);

// The error for a caller without subordinate ranges, telling how to get them.
Error NoSubordinateRangesError(const CallerSetup& caller, const std::string& missing);

}  // namespace uxc::templates

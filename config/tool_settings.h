// uxc's own settings (not a container's): where containers live and where the
// helpers are. Read from /etc/uxc/uxc.conf, then $XDG_CONFIG_HOME/uxc/uxc.conf
// (or ~/.config/uxc/uxc.conf); `key = value` lines, '#' comments.
//   uxc.container_path = DIR     default $XDG_DATA_HOME/uxc or ~/.local/share/uxc
//   uxc.newuidmap = PATH         default: next to the uxc binary, then PATH
//   uxc.newgidmap = PATH
//   uxc.user_nic = PATH
// Paths are absolute or start with "~/"; an empty value restores the default.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/error.h"

namespace uxc::config {

struct ToolSettings {
  std::string container_path;
  std::string newuidmap;   // empty: search next to uxc, then PATH
  std::string newgidmap;
  std::string user_nic;
};

struct ToolEnvironment {
  std::string home;             // $HOME or the passwd entry's home
  std::string xdg_config_home;  // may be empty
  std::string xdg_data_home;    // may be empty
  uid_t uid = 0;
  std::string system_dir = "/etc/uxc";
};

// The environment of the calling process.
ToolEnvironment CurrentToolEnvironment();

Result<ToolSettings> LoadToolSettings(const ToolEnvironment& env);

// The two files LoadToolSettings reads, in order (either may be absent).
std::string SystemToolSettingsPath(const ToolEnvironment& env);
std::string UserToolSettingsPath(const ToolEnvironment& env);

// Applies one file's lines to `settings` (later lines override earlier ones);
// errors are "ORIGIN:LINE: what is wrong: what to write". LoadToolSettings
// calls it per file, then fills in the defaults of the fields left empty.
Status ApplyToolSettingsText(std::string_view text, const std::string& origin, const ToolEnvironment& env,
                             ToolSettings& settings);

}  // namespace uxc::config

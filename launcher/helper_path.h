// Where the setuid helpers are (config/tool_settings.h): the path set in
// uxc.conf, else next to the running uxc binary, else on PATH.
#pragma once

#include <optional>
#include <string>

#include "base/error.h"

namespace uxc::launcher {

// `name` is the helper's file name ("uxc-newuidmap"), `configured` the path
// from uxc.conf (may be empty), `setting` its key for error messages
// ("uxc.newuidmap"). The helper found must be executable and privileged
// (setuid root, or file capabilities).
Result<std::string> FindHelper(const std::string& name, const std::string& configured,
                               const std::string& setting);

// A helper uxc can do without (uxc-newidmap, which stands in for the pair):
// its path when it is next to uxc or on PATH and privileged, else nothing.
std::optional<std::string> FindOptionalHelper(const std::string& name);

}  // namespace uxc::launcher

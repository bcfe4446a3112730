// Splits a command line from a config value (lxc.execute.cmd, lxc.init.cmd)
// into words: blanks separate, '...' and "..." quote, a backslash escapes
// the next character (outside single quotes). No expansion of any kind.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace uxc::launcher {

Result<std::vector<std::string>> SplitCommandLine(const std::string& text);

}  // namespace uxc::launcher

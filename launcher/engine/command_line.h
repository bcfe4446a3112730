// Splits a command line from a config value (lxc.execute.cmd, lxc.init.cmd)
// into words: blanks separate, '...' and "..." quote, a backslash escapes
// the next character (outside single quotes). No expansion of any kind.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace uxc::launcher {

Result<std::vector<std::string>> SplitCommandLine(const std::string& text);

// The inverse: each word single-quoted (a quote in a word as '\''), so that
// SplitCommandLine gives `words` back. For `uxc start NAME -- CMD`, which
// becomes lxc.init.cmd.
std::string JoinCommandLine(const std::vector<std::string>& words);

}  // namespace uxc::launcher

// The line syntax of a container config file, without meaning: `key = value`
// lines, '#' comments and blank lines. Shared by the loader and its fuzzer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"

namespace uxc::config {

struct ConfigLine {
  std::string key;
  std::string value;  // trimmed; one pair of matching surrounding quotes removed (as LXC)
  Origin origin;
};

// Splits `text` into its `key = value` lines. `file` names the text in
// origins and errors. A line that is not blank, not a comment and has no '='
// is an error ("FILE:LINE: ...").
Result<std::vector<ConfigLine>> ParseConfigText(std::string_view text, const std::string& file);

// One "key=value" from the command line (-s), with origin "command line".
Result<ConfigLine> ParseOverride(std::string_view text);

}  // namespace uxc::config

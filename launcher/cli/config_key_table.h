// `uxc config keys`: every container config key, how its lines combine and
// what an unprivileged uxc of this build does with it: the key table
// (config/keys.h) with the launcher's build limits applied. The man page
// uxc.container.conf(5) prints it and bash completion offers its names.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "config/keys.h"

namespace uxc::cli {

// One key: the pattern, "scalar|list|merge|include|clear only", one of
// "supported|limited|needs root|depends on value|refused", the summary and,
// for a key uxc ignores or refuses whatever its value, why.
struct KeyRow {
  std::string pattern;
  std::string kind;
  std::string support;
  std::string summary;
  std::string reason;
};

std::vector<KeyRow> KeyTable(std::span<const config::BuildLimit> limits);

// One row a line, the fields separated by tabs.
std::string FormatKeyTable(const std::vector<KeyRow>& rows);

// `uxc config keys [--names]`.
int RunConfigKeys(const std::vector<std::string>& args);

}  // namespace uxc::cli

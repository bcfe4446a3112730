#include "config/config_text.h"

#include "config/text_util.h"

namespace uxc::config {
namespace {

// LXC's parse_line drops one pair of matching quotes around a value.
std::string_view Unquote(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

// Splits "key = value"; false when there is no '=' or no key.
bool SplitKeyValue(std::string_view line, ConfigLine* out) {
  size_t equals = line.find('=');
  if (equals == std::string_view::npos) return false;
  std::string_view key = Trim(line.substr(0, equals));
  if (key.empty()) return false;
  out->key = std::string(key);
  out->value = std::string(Unquote(Trim(line.substr(equals + 1))));
  return true;
}

}  // namespace

Result<std::vector<ConfigLine>> ParseConfigText(std::string_view text, const std::string& file) {
  std::vector<ConfigLine> lines;
  int line_number = 0;
  for (std::string_view raw : Split(text, '\n')) {
    ++line_number;
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (line.find('\0') != std::string_view::npos) {
      return PlainError(file + ":" + std::to_string(line_number) +
                        ": the line contains a NUL byte; a config file is text");
    }
    ConfigLine parsed;
    parsed.origin = Origin{file, line_number};
    if (!SplitKeyValue(line, &parsed)) {
      return PlainError(file + ":" + std::to_string(line_number) + ": " + Quote(line) +
                        " is not a `key = value` line; add the missing key or '=', or start "
                        "the line with '#' to make it a comment");
    }
    lines.push_back(std::move(parsed));
  }
  return lines;
}

Result<ConfigLine> ParseOverride(std::string_view text) {
  ConfigLine parsed;
  parsed.origin = Origin{"command line", 0};
  if (!SplitKeyValue(Trim(text), &parsed)) {
    return PlainError("command line: -s " + Quote(text) +
                      " is not key=value; write e.g. -s lxc.uts.name=web");
  }
  return parsed;
}

}  // namespace uxc::config

// The line discipline of uxc's small policy and settings files (uxc.conf,
// usernet, the nic database): one record a line, blanks around it ignored,
// blank lines and lines starting with '#' skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace uxc::config {

struct ContentLine {
  int number = 0;          // 1-based
  std::string_view text;   // trimmed of spaces, tabs and a trailing CR
};

// The lines of `text` that hold a record, in order.
std::vector<ContentLine> ContentLines(std::string_view text);

// `text` trimmed of spaces, tabs and CRs at both ends.
std::string_view TrimBlanks(std::string_view text);

// `text` split on runs of spaces and tabs, without empty words.
std::vector<std::string_view> Words(std::string_view text);

// "\"text\"" with control characters escaped, for error messages.
std::string Quoted(std::string_view text);

}  // namespace uxc::config

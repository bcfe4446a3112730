// The line discipline of uxc's small policy and settings files (uxc.conf,
// usernet, the nic database): one record a line, blanks around it ignored,
// blank lines and lines starting with '#' skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"         // Trim, Quoted
#include "config/text_util.h"  // SplitFields: the words of a line

namespace uxc::config {

struct ContentLine {
  int number = 0;          // 1-based
  std::string_view text;   // trimmed of spaces, tabs and a trailing CR
};

// The lines of `text` that hold a record, in order.
std::vector<ContentLine> ContentLines(std::string_view text);

}  // namespace uxc::config

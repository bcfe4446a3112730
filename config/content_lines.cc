#include "config/content_lines.h"

namespace uxc::config {
std::vector<ContentLine> ContentLines(std::string_view text) {
  std::vector<ContentLine> lines;
  int number = 0;
  while (!text.empty()) {
    ++number;
    size_t end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    lines.push_back({number, line});
  }
  return lines;
}

}  // namespace uxc::config

// ParseMonitorArgs must accept or reject any argument list (the input split
// at NUL bytes) without crashing, and what it accepts must format back to
// arguments that parse to the same thing.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "launcher/lifecycle/monitor_args.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> args;
  while (!text.empty()) {
    size_t end = text.find('\0');
    args.push_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  auto parsed = uxc::lifecycle::ParseMonitorArgs(args);
  if (!parsed.ok()) return 0;
  std::vector<std::string> formatted = uxc::lifecycle::FormatMonitorArgs(*parsed);
  auto again = uxc::lifecycle::ParseMonitorArgs(std::vector<std::string_view>(formatted.begin(), formatted.end()));
  if (!again.ok() || uxc::lifecycle::FormatMonitorArgs(*again) != formatted) std::abort();
  return 0;
}

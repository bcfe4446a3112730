// ParseLastExit must accept or reject any bytes without crashing, what it
// accepts must serialize back to text it parses to the same record, and
// LastLines must keep no control character of any console output.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "launcher/lifecycle/last_exit.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const std::string& line : uxc::lifecycle::LastLines(text, 5)) {
    for (char c : line) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) std::abort();
    }
  }
  auto parsed = uxc::lifecycle::ParseLastExit(text, "fuzz");
  if (!parsed.ok()) return 0;
  (void)uxc::lifecycle::DescribeExit(*parsed);
  auto again = uxc::lifecycle::ParseLastExit(uxc::lifecycle::SerializeLastExit(*parsed), "fuzz");
  if (!again.ok() || !(*again == *parsed)) std::abort();
  return 0;
}

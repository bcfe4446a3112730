// ParseAcquired must accept or reject any bytes without crashing, and what
// it accepts must serialize back to text it parses to the same record.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "launcher/lifecycle/acquired_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = uxc::lifecycle::ParseAcquired(text, "fuzz");
  if (!parsed.ok()) return 0;
  auto again = uxc::lifecycle::ParseAcquired(uxc::lifecycle::SerializeAcquired(*parsed), "fuzz");
  if (!again.ok() || !(*again == *parsed)) std::abort();
  return 0;
}

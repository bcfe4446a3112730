// ParseState must accept or reject any bytes without crashing, and what it
// accepts must serialize back to text it parses to the same state.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "launcher/lifecycle/state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = uxc::lifecycle::ParseState(text, "fuzz");
  if (!parsed.ok()) return 0;
  auto again = uxc::lifecycle::ParseState(uxc::lifecycle::SerializeState(*parsed), "fuzz");
  if (!again.ok() || !(*again == *parsed)) std::abort();
  return 0;
}

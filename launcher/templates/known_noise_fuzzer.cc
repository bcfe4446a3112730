// Feeds arbitrary output, in chunks of varying size, through the mmdebstrap
// noise filter and checks that no byte is lost: what is shown and what is
// hidden together are the input, line for line, in order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "launcher/templates/known_noise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t chunk = 1 + data[0] % 64;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  uxc::templates::NoiseFilter filter(uxc::templates::IsMmdebstrapMountNoise);
  std::string shown;
  for (size_t at = 0; at < text.size(); at += chunk) shown += filter.Feed(text.substr(at, chunk));
  shown += filter.Finish();
  if (shown.size() + filter.hidden().size() != text.size()) abort();
  // Every shown or hidden piece is whole lines of the input, in order.
  size_t shown_at = 0, hidden_at = 0, at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    size_t length = (end == std::string_view::npos ? text.size() : end + 1) - at;
    std::string_view line = text.substr(at, length);
    if (shown.compare(shown_at, length, line) == 0) {
      shown_at += length;
    } else if (filter.hidden().compare(hidden_at, length, line) == 0) {
      hidden_at += length;
    } else {
      abort();
    }
    at += length;
  }
  return 0;
}

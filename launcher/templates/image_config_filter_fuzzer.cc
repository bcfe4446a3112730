// Feeds arbitrary bytes (an image's config or fstab comes from whoever built
// the image) to the filter and checks what it keeps: filtering again leaves
// nothing more out, and every line is either kept as it was or commented.
#include <cstddef>
#include <cstdint>
#include <string>

#include "launcher/templates/image_config_filter.h"

namespace {

size_t CountLines(const std::string& text) {
  size_t lines = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++lines;
    start = end + 1;
  }
  return lines;
}

void Check(const uxc::templates::FilteredImageText& once, const std::string& input,
           uxc::templates::FilteredImageText (*filter)(const std::string&)) {
  if (!filter(once.text).left_out.empty()) __builtin_trap();
  if (CountLines(once.text) != CountLines(input)) __builtin_trap();
  for (const auto& line : once.left_out) {
    if (line.line < 1 || line.why.empty()) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  Check(uxc::templates::FilterImageConfig(text), text, uxc::templates::FilterImageConfig);
  Check(uxc::templates::FilterImageFstab(text), text, uxc::templates::FilterImageFstab);
  return 0;
}

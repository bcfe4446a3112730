// Feeds arbitrary bytes to the image index parser (the index comes from a
// server) and checks what it accepts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "launcher/templates/image_index.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto index = uxc::templates::ParseImageIndex(text);
  if (!index.ok()) return 0;
  std::string list = uxc::templates::FormatImageList(*index, {"", "", "", ""});
  if (!index->empty() && list.find('\n') == list.size() - 1) abort();  // a header and no rows
  for (const auto& entry : *index) {
    if (entry.path.empty() || entry.path.front() != '/' || entry.path.back() != '/') abort();
    if (entry.path.find("/../") != std::string::npos) abort();
    if (entry.dist.empty() || entry.build.empty()) abort();
    for (const auto* name : {&entry.dist, &entry.release, &entry.arch, &entry.variant, &entry.build}) {
      if (*name == "." || *name == ".." || name->find('/') != std::string::npos) abort();
    }
    auto found = uxc::templates::FindImage(*index, {entry.dist, entry.release, entry.arch, entry.variant});
    if (!found.ok()) abort();
  }
  return 0;
}

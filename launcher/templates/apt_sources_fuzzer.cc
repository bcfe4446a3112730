// Feeds arbitrary bytes to both apt source formats and checks the mirror
// chosen from them is a usable web URI.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "launcher/templates/apt_sources.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<uxc::templates::AptSourceFile> files = {{"/etc/apt/sources.list", text},
                                                      {"/etc/apt/sources.list.d/x.sources", text}};
  auto mirror = uxc::templates::ChooseDebianMirror(files);
  if (!mirror.ok()) return 0;
  if (mirror->uri.rfind("http://", 0) != 0 && mirror->uri.rfind("https://", 0) != 0) abort();
  if (mirror->uri.find_first_of(" \t\n") != std::string::npos) abort();
  return 0;
}

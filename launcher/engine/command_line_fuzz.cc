// libFuzzer target: SplitCommandLine on arbitrary text. Words joined back
// by JoinCommandLine must split to the same words.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "launcher/engine/command_line.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto words = uxc::launcher::SplitCommandLine(text);
  if (!words.ok()) return 0;
  auto again = uxc::launcher::SplitCommandLine(uxc::launcher::JoinCommandLine(*words));
  if (!again.ok() || *again != *words) abort();
  return 0;
}

// libFuzzer target: SplitCommandLine on arbitrary text. Words joined back
// with single quotes (and escaped quotes) must split to the same words.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "launcher/command_line.h"

namespace {

std::string Quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto words = uxc::launcher::SplitCommandLine(text);
  if (!words.ok()) return 0;
  std::string joined;
  for (const std::string& word : *words) joined += (joined.empty() ? "" : " ") + Quote(word);
  auto again = uxc::launcher::SplitCommandLine(joined);
  if (!again.ok() || *again != *words) abort();
  return 0;
}

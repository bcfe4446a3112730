// Feeds arbitrary text to the log level parser, and as a message to the
// line formatter: a line is always one line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "launcher/engine/log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto level = uxc::log::ParseLevel(input);
  if (level.ok()) {
    auto again = uxc::log::ParseLevel(uxc::log::LevelName(*level));
    if (!again.ok() || *again != *level) __builtin_trap();
  }
  timespec when = {static_cast<time_t>(size) * 86400, 999999999};
  std::string line = uxc::log::FormatLine("c1", when, uxc::log::Level::kDebug, "start", input);
  if (line.find('\n') != line.size() - 1) __builtin_trap();
  return 0;
}

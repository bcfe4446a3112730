// Feeds arbitrary text to the cgroup interface-file parsers.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kernel/cgroup_files.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& [key, value] : uxc::kernel::ParseFlatKeyed(text)) {
    if (key.empty() || key.find_first_of(" \t\n") != std::string::npos) __builtin_trap();
    (void)value;
  }
  (void)uxc::kernel::ParseSingleValue(text);
  (void)uxc::kernel::ParseIoStat(text);
  for (const std::string& name : uxc::kernel::ParseControllerList(text)) {
    if (name.empty() || name.find('\n') != std::string::npos) __builtin_trap();
  }
  for (const std::string& file : uxc::kernel::ParseDelegateList(text)) {
    if (file.empty() || file == "." || file == ".." || file.find('/') != std::string::npos) __builtin_trap();
  }
  return 0;
}

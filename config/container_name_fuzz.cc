// Fuzzes the container name rule: whatever it accepts is one plain path
// component that cannot read as an option, and the message never carries a
// raw control character.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/container_name.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view name(reinterpret_cast<const char*>(data), size);
  uxc::Status status = uxc::config::ValidateContainerName(name);
  if (!status.ok()) {
    for (char c : status.error().message) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) __builtin_trap();
    }
    return 0;
  }
  if (name.empty() || name.size() > uxc::config::kMaxContainerNameLength) __builtin_trap();
  if (name == "." || name == ".." || name.front() == '-' || name.front() == '.') __builtin_trap();
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '/' || byte < 0x21 || byte >= 0x7f) __builtin_trap();
  }
  return 0;
}

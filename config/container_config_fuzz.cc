// libFuzzer target: a container config as text through the whole loader
// (line syntax, key table, value checks, merged checks).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/container_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  uxc::Result<uxc::config::ContainerConfig> config =
      uxc::config::ParseContainerConfigText(text, "fuzz.conf");
  if (config.ok()) {
    // The accessors must cope with whatever the loader accepted.
    for (const uxc::config::Entry& entry : config->entries()) (void)config->Get(entry.key);
    (void)config->NetIndices();
    (void)config->KeysWithPrefix("lxc.cgroup2.");
  }
  return 0;
}

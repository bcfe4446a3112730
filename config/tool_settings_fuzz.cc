// Feeds arbitrary text to the uxc.conf parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/tool_settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uxc::config::ToolEnvironment env;
  env.home = "/home/fuzz";
  uxc::config::ToolSettings settings;
  uxc::Status status = uxc::config::ApplyToolSettingsText(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.conf", env, settings);
  if (status.ok()) {
    for (const std::string* path : {&settings.container_path, &settings.newuidmap, &settings.newgidmap,
                                    &settings.user_nic}) {
      if (!path->empty() && (*path)[0] != '/') __builtin_trap();  // only absolute paths are accepted
    }
  }
  return 0;
}

// Feeds arbitrary text to the two /proc parsers of uxc attach: the init's
// /proc/PID/status (CapBnd, NoNewPrivs) and a /proc/PID/stat line.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "launcher/cli/attach_security.h"
#include "launcher/cli/attach_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto init = uxc::cli::ParseInitConfinement(input, "fuzz");
  if (init.ok() && input.find("CapBnd:") == std::string_view::npos) __builtin_trap();
  if (uxc::cli::ParentPidFromStat(input) < -1) __builtin_trap();
  if (init.ok()) {
    uxc::security::SecurityPlan plan;
    uxc::cli::TightenToInit(*init, 64, plan);
    for (size_t i = 1; i < plan.bounding_drop.size(); ++i) {
      if (plan.bounding_drop[i - 1] >= plan.bounding_drop[i]) __builtin_trap();
    }
  }
  return 0;
}

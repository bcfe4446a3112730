// Capability names for lxc.cap.drop / lxc.cap.keep, resolved by libcap.
#include <sys/capability.h>

#include "config/text_util.h"
#include "config/values.h"

namespace uxc::config {

Result<std::vector<int>> ParseCapabilities(std::string_view value) {
  std::vector<std::string_view> names = SplitFields(value);
  if (names.empty()) return PlainError("no capability named; write names such as sys_admin");
  std::vector<int> capabilities;
  for (std::string_view name : names) {
    std::string lower = ToLower(name);
    if (lower == "none") {
      if (names.size() != 1) {
        return PlainError("\"none\" cannot be combined with capability names in " + Quote(value));
      }
      return capabilities;
    }
    std::string full = StartsWith(lower, "cap_") ? lower : "cap_" + lower;
    cap_value_t capability;
    if (cap_from_name(full.c_str(), &capability) != 0) {
      return PlainError("unknown capability " + Quote(name) +
                        "; use a name from capabilities(7) with or without cap_, e.g. sys_admin");
    }
    capabilities.push_back(capability);
  }
  return capabilities;
}

}  // namespace uxc::config

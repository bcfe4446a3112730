// Feeds arbitrary mountinfo and /proc/self/cgroup text (split at the first
// NUL byte) to the cgroup layout parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "kernel/cgroup_layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\0');
  std::string_view mountinfo = input.substr(0, split);
  std::string_view self_cgroup = split == std::string_view::npos ? "" : input.substr(split + 1);
  uxc::kernel::CgroupLayout layout = uxc::kernel::ParseCgroupLayout(mountinfo, self_cgroup);
  if ((layout.mode == uxc::kernel::CgroupMode::kNone) != (!layout.v2_mount && layout.v1_mounts.empty())) {
    __builtin_trap();
  }
  auto own = uxc::kernel::OwnCgroup2Directory(layout);
  if (own && (!layout.v2_mount || !own->starts_with(layout.v2_mount->mount_point))) __builtin_trap();
  (void)uxc::kernel::V1Controllers(layout);
  return 0;
}

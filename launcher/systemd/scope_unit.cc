#include "launcher/systemd/scope_unit.h"

#include <cstdio>

#include "kernel/cgroup_layout.h"

namespace uxc::systemd {

std::string ScopeUnitName(std::string_view container, uint32_t random) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%08x", random);
  return "uxc-" + std::string(container) + suffix + ".scope";
}

bool CgroupIsUnit(std::string_view proc_cgroup, std::string_view unit) {
  auto path = kernel::ParseCgroupLayout("", proc_cgroup).v2_path;
  if (!path || unit.empty()) return false;
  size_t slash = path->rfind('/');
  return slash != std::string::npos && std::string_view(*path).substr(slash + 1) == unit;
}

}  // namespace uxc::systemd

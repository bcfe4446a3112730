#include "kernel/cgroup_layout.h"

#include <algorithm>

#include "config/text_util.h"

namespace uxc::kernel {
namespace {

using config::SplitFields;

// proc(5): mountinfo escapes space, tab, newline and backslash as \ooo.
std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    bool octal = text[i] == '\\' && i + 3 < text.size() &&
                 std::all_of(text.begin() + i + 1, text.begin() + i + 4, [](char c) { return c >= '0' && c <= '7'; });
    if (octal) {
      out += static_cast<char>((text[i + 1] - '0') * 64 + (text[i + 2] - '0') * 8 + (text[i + 3] - '0'));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The v1 super options name the controllers; the rest are mount flags.
std::vector<std::string> ControllersFromSuperOptions(std::string_view options) {
  static const std::vector<std::string> kFlags = {"rw", "ro", "clone_children", "noprefix", "xattr",
                                                  "cpuset_v2_mode", "favordynmods"};
  std::vector<std::string> controllers;
  for (std::string_view option : config::Split(options, ',')) {
    if (option.empty() || std::find(kFlags.begin(), kFlags.end(), option) != kFlags.end()) continue;
    if (option.starts_with("release_agent=")) continue;
    controllers.emplace_back(option);
  }
  return controllers;
}

std::optional<CgroupMount> ParseMountLine(std::string_view line) {
  std::vector<std::string_view> words = SplitFields(line);
  auto dash = std::find(words.begin(), words.end(), "-");
  if (words.size() < 6 || dash == words.end() || words.end() - dash < 4 || dash - words.begin() < 6) {
    return std::nullopt;
  }
  std::string_view fstype = dash[1];
  if (fstype != "cgroup" && fstype != "cgroup2") return std::nullopt;
  CgroupMount mount;
  mount.root = Unescape(words[3]);
  mount.mount_point = Unescape(words[4]);
  mount.is_v2 = fstype == "cgroup2";
  if (!mount.is_v2) mount.controllers = ControllersFromSuperOptions(dash[3]);
  return mount;
}

// cgroups(7): the v2 line of /proc/PID/cgroup is "0::PATH".
std::optional<std::string> V2PathFrom(std::string_view proc_self_cgroup) {
  for (std::string_view line : config::Split(proc_self_cgroup, '\n')) {
    line = Trim(line);
    if (line.starts_with("0::")) return std::string(line.substr(3));
  }
  return std::nullopt;
}

bool HasRealControllers(const CgroupMount& mount) {
  return std::any_of(mount.controllers.begin(), mount.controllers.end(),
                     [](const std::string& controller) { return !controller.starts_with("name="); });
}

}  // namespace

CgroupLayout ParseCgroupLayout(std::string_view mountinfo, std::string_view proc_self_cgroup) {
  CgroupLayout layout;
  for (std::string_view line : config::Split(mountinfo, '\n')) {
    std::optional<CgroupMount> mount = ParseMountLine(line);
    if (!mount) continue;
    if (!mount->is_v2) {
      layout.v1_mounts.push_back(std::move(*mount));
    } else if (!layout.v2_mount) {
      layout.v2_mount = std::move(*mount);
    }
  }
  bool v1_controllers = std::any_of(layout.v1_mounts.begin(), layout.v1_mounts.end(), HasRealControllers);
  if (layout.v2_mount) {
    layout.mode = v1_controllers ? CgroupMode::kHybrid : CgroupMode::kUnified;
  } else if (!layout.v1_mounts.empty()) {
    layout.mode = CgroupMode::kLegacy;
  }
  layout.v2_path = V2PathFrom(proc_self_cgroup);
  return layout;
}

std::string_view CgroupModeName(CgroupMode mode) {
  switch (mode) {
    case CgroupMode::kNone:
      return "none";
    case CgroupMode::kLegacy:
      return "v1";
    case CgroupMode::kHybrid:
      return "hybrid";
    case CgroupMode::kUnified:
      return "v2";
  }
  return "unknown";
}

std::optional<std::string> OwnCgroup2Directory(const CgroupLayout& layout) {
  if (!layout.v2_mount || !layout.v2_path || !layout.v2_path->starts_with("/")) return std::nullopt;
  const std::string& root = layout.v2_mount->root;
  std::string relative = *layout.v2_path;
  if (root != "/") {
    if (relative != root && !relative.starts_with(root + "/")) return std::nullopt;
    relative = relative.substr(root.size());
  }
  // A path like "/../x" means the cgroup is outside our cgroup namespace.
  if (relative.find("/../") != std::string::npos || relative.ends_with("/..")) return std::nullopt;
  if (relative == "/") relative.clear();
  return layout.v2_mount->mount_point + relative;
}

std::vector<std::string> V1Controllers(const CgroupLayout& layout) {
  std::vector<std::string> controllers;
  for (const CgroupMount& mount : layout.v1_mounts) {
    for (const std::string& controller : mount.controllers) {
      if (!controller.starts_with("name=")) controllers.push_back(controller);
    }
  }
  std::sort(controllers.begin(), controllers.end());
  controllers.erase(std::unique(controllers.begin(), controllers.end()), controllers.end());
  return controllers;
}

}  // namespace uxc::kernel

#include "launcher/engine/mount_plan.h"

#include <sys/mount.h>

namespace uxc::launcher {

std::string DescribeAttributes(uint64_t attributes) {
  static const std::pair<uint64_t, const char*> kNames[] = {
      {MOUNT_ATTR_RDONLY, "ro"},
      {MOUNT_ATTR_NOSUID, "nosuid"},
      {MOUNT_ATTR_NODEV, "nodev"},
      {MOUNT_ATTR_NOEXEC, "noexec"},
      {MOUNT_ATTR_NOATIME, "noatime"},
      {MOUNT_ATTR_STRICTATIME, "strictatime"},
      {MOUNT_ATTR_NODIRATIME, "nodiratime"},
      {MOUNT_ATTR_NOSYMFOLLOW, "nosymfollow"},
  };
  std::string text;
  for (const auto& [bit, name] : kNames) {
    if ((attributes & bit) == 0) continue;
    if (!text.empty()) text += ',';
    text += name;
  }
  return text;
}

std::string DescribeStep(const MountStep& step) {
  std::string text;
  switch (step.kind) {
    case MountStep::Kind::kFilesystem:
      text = "filesystem " + step.fstype + " on " + step.target;
      break;
    case MountStep::Kind::kBind:
      text = std::string(step.recursive ? "rbind " : "bind ") +
             (step.source_in_container ? "container:" : "") + step.source + " on " + step.target;
      break;
    case MountStep::Kind::kSetAttributes:
      text = std::string("set attributes of ") + step.target + (step.recursive ? " and below" : "");
      break;
    case MountStep::Kind::kDirectory:
      text = "directory " + step.target;
      break;
    case MountStep::Kind::kSymlink:
      text = "symlink " + step.target + " -> " + step.source;
      break;
  }
  std::string options;
  for (const auto& [key, value] : step.options) {
    if (!options.empty()) options += ',';
    options += value.empty() ? key : key + "=" + value;
  }
  if (!options.empty()) text += " (" + options + ")";
  std::string set = DescribeAttributes(step.attributes_set);
  if (!set.empty()) text += " [" + set + "]";
  std::string clear = DescribeAttributes(step.attributes_clear);
  if (!clear.empty()) text += " [clear " + clear + "]";
  if (step.create == MountStep::Create::kDirectory) text += " create=dir";
  if (step.create == MountStep::Create::kFile) text += " create=file";
  if (step.optional) text += " optional";
  if (!step.follow_symlinks) text += " no-symlinks";
  return text;
}

std::vector<std::string> DescribeSteps(const std::vector<MountStep>& steps) {
  std::vector<std::string> lines;
  for (const MountStep& step : steps) lines.push_back(DescribeStep(step));
  return lines;
}

}  // namespace uxc::launcher

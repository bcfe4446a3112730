#include "launcher/engine/mount_entries.h"

#include <sys/mount.h>

#include <sstream>

#include "base/read_file.h"

namespace uxc::launcher {
namespace {

struct FlagAttribute {
  unsigned long flag;
  uint64_t attribute;
};
constexpr FlagAttribute kAttributeFlags[] = {
    {MS_RDONLY, MOUNT_ATTR_RDONLY},     {MS_NOSUID, MOUNT_ATTR_NOSUID},
    {MS_NODEV, MOUNT_ATTR_NODEV},       {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
    {MS_NOATIME, MOUNT_ATTR_NOATIME},   {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME},
    {MS_RELATIME, MOUNT_ATTR_RELATIME}, {MS_STRICTATIME, MOUNT_ATTR_STRICTATIME},
};

struct FlagOption {
  unsigned long flag;
  const char* option;
};
// Superblock flags that fsconfig(2) takes as flag parameters.
constexpr FlagOption kSuperblockFlags[] = {
    {MS_SYNCHRONOUS, "sync"}, {MS_DIRSYNC, "dirsync"}, {MS_LAZYTIME, "lazytime"},
    {MS_MANDLOCK, "mand"},    {MS_SILENT, "silent"},
};

std::string ContainerPath(std::string target, const std::string& rootfs_path) {
  if (!rootfs_path.empty() && target.rfind(rootfs_path + "/", 0) == 0) {
    target = target.substr(rootfs_path.size());
  }
  size_t start = target.find_first_not_of('/');
  return start == std::string::npos ? "/" : "/" + target.substr(start);
}

std::vector<std::pair<std::string, std::string>> SplitData(const std::string& data) {
  std::vector<std::pair<std::string, std::string>> options;
  std::istringstream parts(data);
  std::string part;
  while (std::getline(parts, part, ',')) {
    if (part.empty()) continue;
    size_t equals = part.find('=');
    if (equals == std::string::npos) {
      options.emplace_back(part, "");
    } else {
      options.emplace_back(part.substr(0, equals), part.substr(equals + 1));
    }
  }
  return options;
}

// A regular file, read bounded and without blocking (config/read_file.h).
Result<std::vector<std::string>> ReadFstab(const std::string& path) {
  UXC_ASSIGN_OR_RETURN(auto text, ReadSmallFile(path));
  std::vector<std::string> lines;
  std::istringstream file(text);
  std::string line;
  while (std::getline(file, line)) lines.push_back(line);
  return lines;
}

bool IsBlankOrComment(const std::string& line) {
  size_t start = line.find_first_not_of(" \t");
  return start == std::string::npos || line[start] == '#';
}

}  // namespace

Result<MountStep> StepFromMountEntry(const config::MountEntry& entry,
                                     const std::string& rootfs_path, const std::string& origin) {
  if (entry.flags & MS_REMOUNT) {
    return PlainError(origin +
                      ": remount entries are not supported; put the options on the "
                      "entry that mounts the file system");
  }
  if (entry.flags & MS_MOVE) return PlainError(origin + ": move entries are not supported");
  MountStep step;
  step.origin = origin;
  step.target = ContainerPath(entry.target, rootfs_path);
  if (step.target == "/") {
    return PlainError(origin + ": the target is the container's root; mount on a directory in it");
  }
  step.optional = entry.optional;
  step.propagation = entry.propagation & ~static_cast<unsigned long>(MS_REC);
  switch (entry.create) {
    case config::MountEntry::Create::kNone:
      step.create = MountStep::Create::kNone;
      break;
    case config::MountEntry::Create::kDir:
      step.create = MountStep::Create::kDirectory;
      break;
    case config::MountEntry::Create::kFile:
      step.create = MountStep::Create::kFile;
      break;
  }
  for (const FlagAttribute& mapping : kAttributeFlags) {
    if (entry.flags & mapping.flag) step.attributes_set |= mapping.attribute;
  }
  if (entry.is_bind()) {
    step.kind = MountStep::Kind::kBind;
    step.recursive = (entry.flags & MS_REC) != 0;
    step.source_in_container = entry.relative;
    step.source = entry.relative ? ContainerPath(entry.source, rootfs_path) : entry.source;
    if (!step.source_in_container && (step.source.empty() || step.source[0] != '/')) {
      return PlainError(origin +
                        ": the source of a bind mount must be an absolute host path "
                        "(or add \"relative\" for a path in the rootfs)");
    }
    return step;
  }
  step.kind = MountStep::Kind::kFilesystem;
  step.fstype = entry.fstype;
  if (step.fstype.empty() || step.fstype == "none") {
    return PlainError(origin + ": no file system type; name one (e.g. tmpfs) or add bind");
  }
  if (!entry.source.empty() && entry.source != "none")
    step.options.emplace_back("source", entry.source);
  for (const FlagOption& mapping : kSuperblockFlags) {
    if (entry.flags & mapping.flag) step.options.emplace_back(mapping.option, "");
  }
  for (auto& option : SplitData(entry.data)) step.options.push_back(std::move(option));
  return step;
}

Result<std::vector<MountStep>> PlanMountEntries(const config::ContainerConfig& config,
                                                const std::string& rootfs_path) {
  std::vector<MountStep> steps;
  auto add = [&](const std::string& text, const std::string& origin) -> Status {
    auto entry = config::ParseMountEntry(text);
    if (!entry.ok()) return PlainError(origin + ": " + entry.error().ToString());
    UXC_ASSIGN_OR_RETURN(auto step, StepFromMountEntry(*entry, rootfs_path, origin));
    steps.push_back(std::move(step));
    return OkStatus();
  };
  for (const config::Entry& fstab : config.entries()) {
    if (fstab.key != "lxc.mount.fstab" || fstab.value.empty()) continue;
    std::string path = fstab.value;
    if (path[0] != '/') {
      // LXC reads a relative fstab path relative to the config file's directory.
      size_t slash = fstab.origin.file.rfind('/');
      if (slash != std::string::npos) path = fstab.origin.file.substr(0, slash + 1) + path;
    }
    auto lines = ReadFstab(path);
    if (!lines.ok()) {
      return PlainError(fstab.origin.ToString() + ": lxc.mount.fstab = " + fstab.value + ": " +
                        lines.error().ToString());
    }
    for (size_t i = 0; i < lines->size(); ++i) {
      if (IsBlankOrComment((*lines)[i])) continue;
      UXC_RETURN_IF_ERROR(add((*lines)[i], path + ":" + std::to_string(i + 1)));
    }
  }
  for (const config::Entry& entry : config.entries()) {
    if (entry.key != "lxc.mount.entry" || entry.value.empty()) continue;
    UXC_RETURN_IF_ERROR(add(entry.value, entry.origin.ToString() + " lxc.mount.entry"));
  }
  return steps;
}

}  // namespace uxc::launcher

// Which cgroup hierarchies a host mounts (v1, hybrid or pure v2) and where
// the caller sits in them, read from /proc/self/mountinfo and
// /proc/self/cgroup. Pure code: the caller reads the files.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uxc::kernel {

enum class CgroupMode {
  kNone,     // no cgroup file system mounted
  kLegacy,   // v1 hierarchies only
  kHybrid,   // v1 controller hierarchies and a cgroup2 mount beside them
  kUnified,  // cgroup2 only (a v1 name=systemd hierarchy may sit beside it)
};

struct CgroupMount {
  std::string mount_point;               // "/sys/fs/cgroup/memory"
  std::string root;                      // the mount's root within the hierarchy, usually "/"
  bool is_v2 = false;
  std::vector<std::string> controllers;  // v1 only: "memory", or "name=systemd"
};

struct CgroupLayout {
  CgroupMode mode = CgroupMode::kNone;
  std::vector<CgroupMount> v1_mounts;
  std::optional<CgroupMount> v2_mount;   // the first cgroup2 mount
  std::optional<std::string> v2_path;    // the caller's "0::PATH" entry
};

// proc(5): a mountinfo line is "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS
// [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS", with blanks in paths written
// as octal escapes (\040). Lines that do not have that shape are skipped.
CgroupLayout ParseCgroupLayout(std::string_view mountinfo, std::string_view proc_self_cgroup);

// "hybrid" etc.
std::string_view CgroupModeName(CgroupMode mode);

// Where the caller's v2 cgroup is on disk: the cgroup2 mount point joined
// with the "0::" path (relative to the mount's root), or nullopt when either
// is missing or the cgroup lies outside the mounted part of the tree.
std::optional<std::string> OwnCgroup2Directory(const CgroupLayout& layout);

// The v1 controllers, sorted, without named hierarchies ("name=systemd").
std::vector<std::string> V1Controllers(const CgroupLayout& layout);

}  // namespace uxc::kernel

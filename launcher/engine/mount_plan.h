// A mount plan: the ordered steps that build a container's file system tree,
// as a value. The planners (rootfs.h, mount_auto.h, mount_entries.h,
// devices.h) make steps from the config without touching the kernel, so the
// plan is tested on its own; mounter.h carries it out in the child.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace uxc::launcher {

struct MountStep {
  enum class Kind {
    kFilesystem,     // a new instance of `fstype` with `options`
    kBind,           // a bind mount of `source`
    kSetAttributes,  // change the attributes of the mount at `target`
    kDirectory,      // make `target` a directory (mode) unless it exists
    kSymlink,        // make `target` a symlink to `source` unless it exists
  };
  enum class Create { kNone, kDirectory, kFile };

  Kind kind = Kind::kFilesystem;
  // kBind: a host path, or a path inside the container when
  // `source_in_container`; kSymlink: the link's content.
  std::string source;
  bool source_in_container = false;
  // An absolute path inside the container ("/proc"). Resolved under the
  // container's root (openat2 RESOLVE_IN_ROOT): a symlink cannot lead out.
  std::string target;
  // kFilesystem: the type and its options, one fsconfig(2) call each
  // ("mode", "755"), or a flag with an empty value ("ro" is an attribute).
  std::string fstype;
  std::vector<std::pair<std::string, std::string>> options;
  // MOUNT_ATTR_* to set and to clear on the new (or, for kSetAttributes,
  // the existing) mount.
  uint64_t attributes_set = 0;
  uint64_t attributes_clear = 0;
  // MS_SHARED / MS_SLAVE / MS_PRIVATE / MS_UNBINDABLE, or 0 to leave it.
  uint64_t propagation = 0;
  // kBind: the whole subtree (rbind); kSetAttributes: every mount below too.
  bool recursive = false;
  Create create = Create::kNone;
  unsigned mode = 0755;  // for kDirectory and created targets
  // Skip the step, quietly, when its source or target does not exist.
  bool optional = false;
  // When false, no component of `target` may be a symlink: for the places
  // uxc mounts by itself (/proc, /sys, /dev), which a rootfs must not move.
  bool follow_symlinks = true;
  // Where the step comes from, for error messages: "lxc.mount.auto proc:mixed".
  std::string origin;
};

struct MountPlan {
  std::vector<MountStep> steps;
};

// One line per step, for tests and `--debug` output:
// "filesystem proc on /proc [nosuid,nodev,noexec] (lxc.mount.auto proc:mixed)".
std::string DescribeStep(const MountStep& step);
// DescribeStep of each step, in order.
std::vector<std::string> DescribeSteps(const std::vector<MountStep>& steps);

// MOUNT_ATTR_* names ("ro", "nosuid", ...) joined by commas.
std::string DescribeAttributes(uint64_t attributes);

}  // namespace uxc::launcher

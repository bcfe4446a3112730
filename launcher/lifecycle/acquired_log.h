// The acquired record (acquired_record.h) as a start writes it: each entry
// written as an intent before the start acquires it, confirmed after.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/error.h"
#include "kernel/cgroup.h"
#include "launcher/lifecycle/acquired_record.h"
#include "launcher/lifecycle/runtime_paths.h"

namespace uxc::lifecycle {

// What the concerns' slots before the clone hold open for the clone
// itself: the container's cgroup, which the init is cloned into, and what
// to do once it is there (launcher/engine/start.h InitCgroup).
struct HeldForClone {
  std::optional<kernel::Cgroup> payload;
  std::function<Status()> placed;
};

class AcquiredLog {
 public:
  // Kept in memory only: a container without a name (uxc run --rootfs) has
  // no runtime dir, and no one but its launcher to release it.
  AcquiredLog() = default;

  // Makes the runtime dir `paths.dir` (private, as runtime_dir.h checks
  // it) and opens the record there with the runtime files as its first
  // entry, an intent: from here on, the dir is the container's to remove.
  static Result<AcquiredLog> Open(const RuntimePaths& paths);

  // Appends `entry` as an intent and writes the record.
  Status Intend(AcquiredEntry entry);
  // Marks every intent of `kind` confirmed and writes the record.
  Status Confirm(AcquiredKind kind);
  // Fills in the last intent of `kind` with what its acquisition named (a
  // nic's host end) and confirms it.
  Status ConfirmLast(AcquiredKind kind, const std::function<void(AcquiredEntry&)>& fill);

  AcquiredRecord& record() { return record_; }
  HeldForClone& held() { return held_; }
  // The record's file; empty when kept in memory.
  const std::string& path() const { return path_; }

 private:
  Status Write() const;

  std::string path_;
  AcquiredRecord record_;
  HeldForClone held_;
};

}  // namespace uxc::lifecycle

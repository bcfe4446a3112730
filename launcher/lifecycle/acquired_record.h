// What a start acquired on the host, kept in the container's runtime dir
// beside the state file, so that whoever releases the container (the end of
// its monitor or of a foreground run, or the next command to find its
// monitor dead: release.h) releases exactly that, and never reads the
// config again. Each entry is written as an intent before it is acquired
// and confirmed after; the release marks it released before it goes on, so
// an interrupted release resumes where it stopped.
//   uxc-acquired 1
//   entry=runtime-files confirmed
//   target=/run/user/1000/uxc/c1
//   entry=stop-hooks confirmed
//   hook-type=post-stop
//   hook-version=0
//   hook=/usr/local/bin/cleanup --all
//   line=exec /usr/local/bin/cleanup --all 'c1' 'lxc' 'post-stop'
//   env=LXC_NAME=c1
//   entry=cgroup confirmed
//   target=/sys/fs/cgroup/uxc.users/alice/uxc.payload.c1
//   cgroup-role=payload
//   entry=nic confirmed
//   target=veth1000_a1B2
//   key=lxc.net.0
//   bridge=uxcbr0
//   helper=/usr/bin/uxc-user-nic
//   nic=eth0
//   (then the hook lines of lxc.net.0.script.down, when set)
// Values escape "\" as "\\", a newline as "\n" and other control bytes as
// "\xHH". A cgroup's role says how it is released: the payload's processes
// are killed, the monitor's leaf and a parent (lxc.cgroup.dir) only removed.
// A nic's intent has no target yet: uxc-user-nic names the host end.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "launcher/engine/security/hooks.h"

namespace uxc::lifecycle {

enum class AcquiredKind { kRuntimeFiles, kStopHooks, kCgroup, kNic };
enum class AcquiredStatus { kIntent, kConfirmed, kReleased };
enum class CgroupRole { kPayload, kMonitor, kParent };

// kNic: what `uxc-user-nic delete` needs besides the host end's name.
struct AcquiredNic {
  std::string key;            // "lxc.net.0", for messages
  std::string bridge;         // lxc.net.N.link, or "none"
  std::string helper;         // the uxc-user-nic that made it
  std::string container_nic;  // its name in the container, once made

  bool operator==(const AcquiredNic&) const = default;
};

struct AcquiredEntry {
  AcquiredKind kind = AcquiredKind::kRuntimeFiles;
  AcquiredStatus status = AcquiredStatus::kIntent;
  std::string target;       // the runtime dir, the cgroup's path, the nic's host end
  security::StopHooks hooks;  // kStopHooks: what to run; kNic: its script.down
  CgroupRole cgroup_role = CgroupRole::kPayload;  // kCgroup
  AcquiredNic nic = {};       // kNic (defaulted: entries of other kinds omit it)

  bool operator==(const AcquiredEntry&) const = default;
};

// In the order of acquisition; released in the reverse order.
struct AcquiredRecord {
  std::vector<AcquiredEntry> entries;

  bool operator==(const AcquiredRecord&) const = default;
};

// The record's file in a container's runtime dir.
std::string AcquiredRecordPath(const std::string& runtime_dir);

std::string SerializeAcquired(const AcquiredRecord& record);

// Errors name `origin`, the line and what is wrong.
Result<AcquiredRecord> ParseAcquired(std::string_view text, const std::string& origin);

// The record at `path`, bounded; nullopt when there is none.
Result<std::optional<AcquiredRecord>> ReadAcquiredFile(const std::string& path);

// Atomically (a temporary file renamed over it), mode 0600.
Status WriteAcquiredFile(const std::string& path, const AcquiredRecord& record);

}  // namespace uxc::lifecycle

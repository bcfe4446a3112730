#include "launcher/lifecycle/host_concerns.h"

#include <unistd.h>

#include "launcher/lifecycle/cgroup_concern.h"
#include "launcher/lifecycle/nic_concern.h"
#include "launcher/lifecycle/runtime_paths.h"

namespace uxc::lifecycle {
namespace {

// The runtime dir: the record opens with it (AcquiredLog::Open), and the
// monitor confirms it once the state file is written.
Status RemoveRuntimeDir(const AcquiredEntry& entry, StopContext&) {
  RemoveRuntimeFiles(PathsIn(entry.target));
  return OkStatus();
}

// The post-stop hooks run last of all and the stop hooks first (entries
// are released last acquired first): intended in that order.
Status IntendStopHooks(StartContext& start) {
  for (const security::StopHooks* hooks : {&start.host.post_stop_hooks, &start.host.stop_hooks}) {
    if (hooks->values.empty()) continue;
    UXC_RETURN_IF_ERROR(start.record.Intend({AcquiredKind::kStopHooks, AcquiredStatus::kIntent, "", *hooks}));
  }
  return OkStatus();
}

Status ConfirmStopHooks(StartContext& start) { return start.record.Confirm(AcquiredKind::kStopHooks); }

// An intended hook belongs to a start that never ran its init: it is
// dropped, not run. The stop hook gets the namespaces, which are let go
// before the post-stop hook, as LXC does.
Status RunStopHooks(const AcquiredEntry& entry, StopContext& stop) {
  if (entry.status == AcquiredStatus::kIntent) return OkStatus();
  bool stop_hook = entry.hooks.type == security::HookType::kStop;
  std::vector<security::NamespaceReference> none;
  Status ran = security::RunHooks(
      security::PrepareRecordedHooks(entry.hooks, stop.target, stop_hook ? stop.namespaces : none));
  if (stop_hook) {
    stop.namespace_fds.clear();
    stop.namespaces.clear();
  }
  return ran;
}

}  // namespace

const std::vector<HostConcern>& HostConcerns() {
  static const std::vector<HostConcern> kConcerns = {
      {AcquiredKind::kRuntimeFiles, nullptr, nullptr, RemoveRuntimeDir},
      {AcquiredKind::kStopHooks, IntendStopHooks, ConfirmStopHooks, RunStopHooks},
      {AcquiredKind::kCgroup, MakeContainerCgroup, ConfirmContainerCgroup, ReleaseContainerCgroup},
      // Acquired during the clone, by the engine (nic_concern.h).
      {AcquiredKind::kNic, nullptr, nullptr, ReleaseNic},
  };
  return kConcerns;
}

const HostConcern* ConcernFor(AcquiredKind kind) {
  for (const HostConcern& concern : HostConcerns()) {
    if (concern.kind == kind) return &concern;
  }
  return nullptr;
}

}  // namespace uxc::lifecycle

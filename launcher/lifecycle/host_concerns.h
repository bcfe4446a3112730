// The slots a concern of the host fills in a start, as nsjail's concerns
// do: plan (launcher/engine/host_plan.h), parent before the clone, parent after it,
// child (the engine's StartPlan), release. A concern that acquires
// something on the host (a cgroup, a nic) adds a row to HostConcerns() and
// an entry kind to the record; the start (start_api.h) and the release
// (release.h) only walk the table.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "launcher/engine/host_plan.h"
#include "launcher/engine/idmap.h"
#include "launcher/lifecycle/acquired_log.h"
#include "launcher/lifecycle/acquired_record.h"

namespace uxc::lifecycle {

// What a concern sees while the start runs.
struct StartContext {
  const launcher::HostPlan& host;
  AcquiredLog& record;
  pid_t init_pid = 0;  // after the clone
  // Who starts, with which id maps and helpers: a concern that acts as the
  // container's root on the host (launcher/engine/mapped_root.h).
  const launcher::Caller* caller = nullptr;
  const launcher::IdMapPlan* maps = nullptr;
  const launcher::HelperSettings* helpers = nullptr;
};

// What the release knows that the start could not: why the init ended, and
// its namespaces while someone still holds them (for the stop hook).
struct StopContext {
  std::string target = "stop";  // or "reboot"
  std::vector<UniqueFd> namespace_fds;
  std::vector<security::NamespaceReference> namespaces;
};

struct HostConcern {
  AcquiredKind kind;
  // Records the intent, then acquires; null: nothing to do.
  Status (*before_clone)(StartContext& start);
  // The init runs: confirms; null: nothing to do.
  Status (*after_clone)(StartContext& start);
  // Releases one confirmed (or, when `intent`, maybe half-made) entry.
  Status (*release)(const AcquiredEntry& entry, StopContext& stop);
};

const std::vector<HostConcern>& HostConcerns();

// The row of `kind`; null when this build has none.
const HostConcern* ConcernFor(AcquiredKind kind);

}  // namespace uxc::lifecycle

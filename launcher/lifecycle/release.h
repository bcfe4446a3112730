// The one end of a container's life: what its start acquired, released
// from the acquired record (acquired_record.h), never from the config. At a
// normal stop the monitor's `uxc __monitor-end` or the foreground launcher
// calls it; after the monitor was killed, the next command that takes the
// container lock (start, stop, ls, info, execute, run) does.
#pragma once

#include "base/error.h"
#include "launcher/lifecycle/acquired_record.h"
#include "launcher/lifecycle/host_concerns.h"
#include "launcher/lifecycle/runtime_paths.h"

namespace uxc::lifecycle {

enum class ReleaseScope {
  kAll,
  // A reboot: the hooks run, the runtime dir stays for the new start.
  kKeepRuntimeFiles,
};

// Releases the entries of `record` not yet released, the last acquired
// first, each once: an entry is marked released in `path` (empty: the
// record is in memory only) before the next is released, so that an
// interrupted release resumes with the next. A hook marked released before
// it runs; the other entries (idempotent removals) after. Every entry is
// tried; returns the first error.
Status ReleaseAcquired(AcquiredRecord& record, const std::string& path, StopContext& stop,
                       ReleaseScope scope = ReleaseScope::kAll);

// The same from the record in `runtime_dir`; nothing when there is none.
Status ReleaseRecorded(const std::string& runtime_dir, StopContext& stop, ReleaseScope scope = ReleaseScope::kAll);

// What a start of container `name` left when its monitor or foreground
// launcher died: the caller holds the container lock, so no one else runs
// it. Says on stderr that it releases, and what failed; returns whether
// there was a record.
bool ReleaseAbandoned(const RuntimePaths& paths, const std::string& name);

}  // namespace uxc::lifecycle

// Where a start placed its container: the payload cgroup (uxc.payload.NAME)
// that the start's acquired record holds as its confirmed `cgroup` entry.
// The commands that use the container's cgroup (freeze, stop, info, ls)
// find it here, never from the config.
#pragma once

#include <optional>
#include <string>

#include "launcher/lifecycle/acquired_record.h"

namespace uxc::lifecycle {

// The target of the confirmed kCgroup entry; nullopt when none (a
// container started without a cgroup of its own, or one not yet placed).
std::optional<std::string> RecordedPayloadCgroup(const AcquiredRecord& record);

}  // namespace uxc::lifecycle

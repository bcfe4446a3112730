// The container's payload cgroup as its start recorded it (acquired_record.h):
// what freeze, info and stop act on, never a path read from the config.
#pragma once

#include <optional>
#include <string>

#include "launcher/lifecycle/acquired_record.h"

namespace uxc::lifecycle {

// The payload cgroup's path, when the start made one and it is not released.
std::optional<std::string> RecordedPayloadCgroup(const AcquiredRecord& record);

}  // namespace uxc::lifecycle

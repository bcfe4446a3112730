#include "launcher/lifecycle/recorded_cgroup.h"

namespace uxc::lifecycle {

std::optional<std::string> RecordedPayloadCgroup(const AcquiredRecord& record) {
  for (const AcquiredEntry& entry : record.entries) {
    if (entry.kind == AcquiredKind::kCgroup && entry.cgroup_role == CgroupRole::kPayload &&
        entry.status != AcquiredStatus::kReleased) {
      return entry.target;
    }
  }
  return std::nullopt;
}

}  // namespace uxc::lifecycle

#include "launcher/lifecycle/recorded_cgroup.h"

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

AcquiredEntry Cgroup(AcquiredStatus status, std::string target, CgroupRole role) {
  return {AcquiredKind::kCgroup, status, std::move(target), {}, role};
}

TEST(RecordedPayloadCgroup, ThePayloadNotYetReleased) {
  AcquiredRecord record;
  EXPECT_EQ(RecordedPayloadCgroup(record), std::nullopt);
  record.entries.push_back({AcquiredKind::kRuntimeFiles, AcquiredStatus::kConfirmed, "/run/u/c1", {}});
  record.entries.push_back(Cgroup(AcquiredStatus::kConfirmed, "/cg/u/uxc.monitor.c1", CgroupRole::kMonitor));
  record.entries.push_back(Cgroup(AcquiredStatus::kConfirmed, "/cg/u/uxc.payload.c1", CgroupRole::kPayload));
  EXPECT_EQ(RecordedPayloadCgroup(record), "/cg/u/uxc.payload.c1");
  record.entries.back().status = AcquiredStatus::kReleased;
  EXPECT_EQ(RecordedPayloadCgroup(record), std::nullopt);
}

}  // namespace
}  // namespace uxc::lifecycle

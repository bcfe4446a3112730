#include "launcher/lifecycle/recorded_cgroup.h"

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

AcquiredEntry Entry(AcquiredKind kind, AcquiredStatus status, std::string target) {
  return {kind, status, std::move(target), {}};
}

TEST(RecordedPayloadCgroupTest, IsTheTargetOfTheConfirmedCgroupEntry) {
  AcquiredRecord record;
  record.entries.push_back(Entry(AcquiredKind::kRuntimeFiles, AcquiredStatus::kConfirmed, "/run/user/1000/uxc/c1"));
  record.entries.push_back(
      Entry(AcquiredKind::kCgroup, AcquiredStatus::kConfirmed, "/sys/fs/cgroup/user/alice/uxc.payload.c1"));
  EXPECT_EQ(RecordedPayloadCgroup(record), "/sys/fs/cgroup/user/alice/uxc.payload.c1");
}

TEST(RecordedPayloadCgroupTest, NoneWithoutAConfirmedCgroupEntry) {
  AcquiredRecord record;
  EXPECT_EQ(RecordedPayloadCgroup(record), std::nullopt);
  record.entries.push_back(Entry(AcquiredKind::kRuntimeFiles, AcquiredStatus::kConfirmed, "/run/user/1000/uxc/c1"));
  record.entries.push_back(Entry(AcquiredKind::kCgroup, AcquiredStatus::kIntent, "/sys/fs/cgroup/x/uxc.payload.c1"));
  EXPECT_EQ(RecordedPayloadCgroup(record), std::nullopt);
  record.entries.back().status = AcquiredStatus::kReleased;
  EXPECT_EQ(RecordedPayloadCgroup(record), std::nullopt);
}

}  // namespace
}  // namespace uxc::lifecycle

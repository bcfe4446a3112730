#include "launcher/engine/mount_entries.h"

#include <gtest/gtest.h>

namespace uxc::launcher {
namespace {

Result<MountStep> FromLine(const std::string& line,
                           const std::string& rootfs = "/home/a/c1/rootfs") {
  auto entry = config::ParseMountEntry(line);
  EXPECT_TRUE(entry.ok()) << entry.error().ToString();
  if (!entry.ok()) return entry.take_error();
  return StepFromMountEntry(*entry, rootfs, "config:3");
}

std::string Describe(const std::string& line) {
  auto step = FromLine(line);
  return step.ok() ? DescribeStep(*step) : "error: " + step.error().ToString();
}

TEST(MountEntryStepTest, BindWithCreateAndReadOnly) {
  EXPECT_EQ(Describe("/srv/data srv/data none bind,ro,create=dir 0 0"),
            "bind /srv/data on /srv/data [ro] create=dir");
}

TEST(MountEntryStepTest, WaylandSocketAsAFile) {
  EXPECT_EQ(Describe("/run/user/1000/wayland-0 tmp/wayland-0 none bind,create=file 0 0"),
            "bind /run/user/1000/wayland-0 on /tmp/wayland-0 create=file");
}

TEST(MountEntryStepTest, RecursiveBindAndOptional) {
  EXPECT_EQ(Describe("/sys/fs/fuse/connections sys/fs/fuse/connections none rbind,optional 0 0"),
            "rbind /sys/fs/fuse/connections on /sys/fs/fuse/connections optional");
}

TEST(MountEntryStepTest, TmpfsGetsItsOptionsAsFsconfigParameters) {
  EXPECT_EQ(Describe("tmpfs tmp tmpfs nosuid,nodev,size=64m,mode=1777 0 0"),
            "filesystem tmpfs on /tmp (source=tmpfs,size=64m,mode=1777) [nosuid,nodev]");
}

TEST(MountEntryStepTest, RelativeSourceComesFromTheRootfs) {
  EXPECT_EQ(Describe("var/cache srv/cache none bind,relative 0 0"),
            "bind container:/var/cache on /srv/cache");
}

TEST(MountEntryStepTest, AbsoluteTargetUnderTheRootfsPathIsMadeRelative) {
  EXPECT_EQ(Describe("/srv /home/a/c1/rootfs/mnt/srv none bind 0 0"), "bind /srv on /mnt/srv");
  EXPECT_EQ(Describe("/srv /mnt/srv none bind 0 0"), "bind /srv on /mnt/srv");
}

TEST(MountEntryStepTest, RefusesTheRootAsTarget) {
  auto step = FromLine("/srv / none bind 0 0");
  ASSERT_FALSE(step.ok());
  EXPECT_NE(step.error().message.find("config:3: the target is the container's root"),
            std::string::npos);
}

TEST(MountEntryStepTest, RefusesARelativeHostSource) {
  auto step = FromLine("srv mnt none bind 0 0");
  ASSERT_FALSE(step.ok());
  EXPECT_NE(step.error().message.find("absolute host path"), std::string::npos);
}

TEST(MountEntryStepTest, RefusesAFilesystemWithoutType) {
  auto step = FromLine("none mnt none defaults 0 0");
  ASSERT_FALSE(step.ok());
  EXPECT_NE(step.error().message.find("no file system type"), std::string::npos);
}

}  // namespace
}  // namespace uxc::launcher

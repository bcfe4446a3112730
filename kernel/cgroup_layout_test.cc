#include "kernel/cgroup_layout.h"

#include <gtest/gtest.h>

namespace uxc::kernel {
namespace {

// This development VM: v1 controllers, cgroup2 beside them at .../unified.
constexpr char kHybridMountinfo[] =
    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset,clone_children\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
constexpr char kHybridCgroup[] =
    "9:name=systemd:/\n8:pids:/\n4:memory:/x\n3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n";

// A systemd host with the unified hierarchy (Debian 12's default).
constexpr char kUnifiedMountinfo[] =
    "25 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro\n"
    "28 24 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n";
constexpr char kUnifiedCgroup[] = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/run-u7.scope\n";

// An old host with v1 only.
constexpr char kLegacyMountinfo[] =
    "30 25 0:26 / /sys/fs/cgroup/memory rw shared:9 - cgroup cgroup rw,memory\n"
    "31 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw shared:10 - cgroup cgroup rw,cpu,cpuacct\n"
    "32 25 0:28 / /sys/fs/cgroup/systemd rw shared:11 - cgroup cgroup rw,xattr,name=systemd,"
    "release_agent=/lib/systemd/systemd-cgroups-agent\n";

TEST(CgroupLayoutTest, RecognisesThisMachinesHybridLayout) {
  CgroupLayout layout = ParseCgroupLayout(kHybridMountinfo, kHybridCgroup);
  EXPECT_EQ(layout.mode, CgroupMode::kHybrid);
  EXPECT_EQ(CgroupModeName(layout.mode), "hybrid");
  ASSERT_TRUE(layout.v2_mount);
  EXPECT_EQ(layout.v2_mount->mount_point, "/sys/fs/cgroup/unified");
  EXPECT_EQ(layout.v1_mounts.size(), 6u);
  EXPECT_EQ(V1Controllers(layout), (std::vector<std::string>{"cpu", "cpuacct", "cpuset", "memory", "pids"}));
  EXPECT_EQ(layout.v2_path, "/");
  EXPECT_EQ(OwnCgroup2Directory(layout), "/sys/fs/cgroup/unified");
}

TEST(CgroupLayoutTest, RecognisesAUnifiedSystemdHost) {
  CgroupLayout layout = ParseCgroupLayout(kUnifiedMountinfo, kUnifiedCgroup);
  EXPECT_EQ(layout.mode, CgroupMode::kUnified);
  EXPECT_EQ(CgroupModeName(layout.mode), "v2");
  EXPECT_TRUE(layout.v1_mounts.empty());
  EXPECT_EQ(OwnCgroup2Directory(layout),
            "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/run-u7.scope");
}

TEST(CgroupLayoutTest, NamedV1HierarchyBesideCgroup2IsStillUnified) {
  std::string mountinfo = std::string(kUnifiedMountinfo) +
                          "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n";
  EXPECT_EQ(ParseCgroupLayout(mountinfo, kUnifiedCgroup).mode, CgroupMode::kUnified);
}

TEST(CgroupLayoutTest, RecognisesALegacyHostAndItsCombinedControllers) {
  CgroupLayout layout = ParseCgroupLayout(kLegacyMountinfo, "3:memory:/\n");
  EXPECT_EQ(layout.mode, CgroupMode::kLegacy);
  EXPECT_EQ(CgroupModeName(layout.mode), "v1");
  EXPECT_FALSE(layout.v2_mount);
  EXPECT_FALSE(layout.v2_path);
  EXPECT_EQ(V1Controllers(layout), (std::vector<std::string>{"cpu", "cpuacct", "memory"}));
  EXPECT_EQ(OwnCgroup2Directory(layout), std::nullopt);
}

TEST(CgroupLayoutTest, NoCgroupMountsIsNone) {
  CgroupLayout layout = ParseCgroupLayout("22 1 8:1 / / rw - ext4 /dev/vda1 rw\n", "");
  EXPECT_EQ(layout.mode, CgroupMode::kNone);
  EXPECT_EQ(CgroupModeName(layout.mode), "none");
}

TEST(CgroupLayoutTest, OptionalFieldsAndEscapedMountPoints) {
  CgroupLayout layout = ParseCgroupLayout(
      "41 31 0:38 / /mnt/my\\040cgroups rw shared:5 master:2 - cgroup2 none rw\n", "0::/a b\n");
  ASSERT_TRUE(layout.v2_mount);
  EXPECT_EQ(layout.v2_mount->mount_point, "/mnt/my cgroups");
  EXPECT_EQ(OwnCgroup2Directory(layout), "/mnt/my cgroups/a b");
}

TEST(CgroupLayoutTest, MalformedLinesAreSkipped) {
  CgroupLayout layout = ParseCgroupLayout("garbage\n1 2 - cgroup2\n\n - \n", "0::/\n");
  EXPECT_EQ(layout.mode, CgroupMode::kNone);
}

TEST(CgroupLayoutTest, MountOfASubtreeMapsPathsRelativeToItsRoot) {
  CgroupLayout layout = ParseCgroupLayout(
      "50 40 0:38 /user.slice /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/user.slice/u1\n");
  EXPECT_EQ(OwnCgroup2Directory(layout), "/sys/fs/cgroup/u1");
  CgroupLayout outside = ParseCgroupLayout(
      "50 40 0:38 /user.slice /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", "0::/system.slice\n");
  EXPECT_EQ(OwnCgroup2Directory(outside), std::nullopt);
}

TEST(CgroupLayoutTest, CgroupOutsideOurCgroupNamespaceHasNoDirectory) {
  CgroupLayout layout = ParseCgroupLayout(kUnifiedMountinfo, "0::/../../other.scope\n");
  EXPECT_EQ(OwnCgroup2Directory(layout), std::nullopt);
}

}  // namespace
}  // namespace uxc::kernel

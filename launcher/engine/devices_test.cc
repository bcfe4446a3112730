#include "launcher/engine/devices.h"

#include <gtest/gtest.h>

namespace uxc::launcher {
namespace {

TEST(DevicesTest, TmpfsSizedByTheConfig) {
  DevicesPlan plan;
  plan.tmpfs_size = 1 << 20;
  EXPECT_EQ(
      DescribeSteps(PlanDevTmpfs(plan)),
      (std::vector<std::string>{"filesystem tmpfs on /dev (source=none,mode=0755,size=1048576) "
                                "[nosuid,noexec] create=dir no-symlinks"}));
  plan.enabled = false;
  EXPECT_TRUE(PlanDevTmpfs(plan).empty());
}

TEST(DevicesTest, NodesAreBoundFromTheHostNeverMade) {
  DevicesPlan plan;
  plan.pty_max = 10;
  plan.tty_group_mapped = true;
  EXPECT_EQ(DescribeSteps(PlanDevContents(plan, 3)),
            (std::vector<std::string>{
                "bind /dev/null on /dev/null [nosuid,noexec] create=file no-symlinks",
                "bind /dev/zero on /dev/zero [nosuid,noexec] create=file no-symlinks",
                "bind /dev/full on /dev/full [nosuid,noexec] create=file no-symlinks",
                "bind /dev/random on /dev/random [nosuid,noexec] create=file no-symlinks",
                "bind /dev/urandom on /dev/urandom [nosuid,noexec] create=file no-symlinks",
                "bind /dev/tty on /dev/tty [nosuid,noexec] create=file no-symlinks",
                "symlink /dev/fd -> /proc/self/fd no-symlinks",
                "symlink /dev/stdin -> /proc/self/fd/0 no-symlinks",
                "symlink /dev/stdout -> /proc/self/fd/1 no-symlinks",
                "symlink /dev/stderr -> /proc/self/fd/2 no-symlinks",
                "directory /dev/shm no-symlinks",
                "filesystem devpts on /dev/pts "
                "(source=devpts,newinstance,ptmxmode=0666,mode=0620,gid=5,max=13) "
                "[nosuid,noexec] create=dir no-symlinks",
                "symlink /dev/ptmx -> pts/ptmx no-symlinks",
            }));
}

TEST(DevicesTest, NoTtyGroupOptionWhenGid5IsNotMapped) {
  DevicesPlan plan;
  for (const std::string& line : DescribeSteps(PlanDevContents(plan, 1))) {
    EXPECT_EQ(line.find("gid=5"), std::string::npos) << line;
    EXPECT_EQ(line.find("max="), std::string::npos) << line;
  }
}

TEST(DevicesTest, WithoutAutodevOnlyDevpts) {
  DevicesPlan plan;
  plan.enabled = false;
  auto lines = DescribeSteps(PlanDevContents(plan, 1));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("filesystem devpts on /dev/pts", 0), 0u);
}

}  // namespace
}  // namespace uxc::launcher

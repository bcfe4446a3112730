#include "launcher/engine/mount_auto.h"

#include <gtest/gtest.h>

namespace uxc::launcher {
namespace {

AutoMounts Parse(const std::vector<std::string>& values) {
  auto mounts = ParseAutoMounts(values);
  EXPECT_TRUE(mounts.ok()) << mounts.error().ToString();
  return mounts.ok() ? *mounts : AutoMounts{};
}

TEST(ParseAutoMountsTest, LaterTokensOfACategoryWin) {
  // common.conf then userns.conf, as LXC merges them.
  AutoMounts mounts = Parse({"cgroup:mixed proc:mixed sys:mixed", "sys:rw"});
  EXPECT_EQ(mounts.proc, AutoMounts::Proc::kMixed);
  EXPECT_EQ(mounts.sys, AutoMounts::Sys::kReadWrite);
  EXPECT_EQ(mounts.cgroup, AutoMounts::Cgroup::kMixed);
}

TEST(ParseAutoMountsTest, BareNamesMeanMixed) {
  AutoMounts mounts = Parse({"proc sys cgroup"});
  EXPECT_EQ(mounts.proc, AutoMounts::Proc::kMixed);
  EXPECT_EQ(mounts.sys, AutoMounts::Sys::kMixed);
  EXPECT_EQ(mounts.cgroup, AutoMounts::Cgroup::kMixed);
}

TEST(ParseAutoMountsTest, UnknownTokenIsAnErrorThatListsTheKnownOnes) {
  auto mounts = ParseAutoMounts({"proc:ro"});
  ASSERT_FALSE(mounts.ok());
  EXPECT_NE(mounts.error().message.find("unknown token \"proc:ro\""), std::string::npos);
  EXPECT_NE(mounts.error().message.find("sys[:ro|:rw|:mixed]"), std::string::npos);
}

TEST(PlanProcAndSysTest, ProcMixedLeavesSysAndSysrqTriggerReadOnly) {
  AutoMountContext context;
  EXPECT_EQ(DescribeSteps(PlanProcAndSys(Parse({"proc:mixed"}), context)),
            (std::vector<std::string>{
                "filesystem proc on /proc [nosuid,nodev,noexec] create=dir no-symlinks",
                "bind container:/proc/sys on /proc/sys [ro,nosuid,nodev,noexec] no-symlinks",
                "bind container:/proc/sys/net on /proc/sys/net [nosuid,nodev,noexec] [clear ro] "
                "no-symlinks",
                "bind container:/proc/sysrq-trigger on /proc/sysrq-trigger "
                "[ro,nosuid,nodev,noexec] optional no-symlinks",
            }));
}

TEST(PlanProcAndSysTest, ProcSysNetStaysReadOnlyWithoutNetAdminOrOwnNetwork) {
  AutoMountContext no_admin;
  no_admin.keeps_net_admin = false;
  AutoMountContext host_network;
  host_network.own_network = false;
  for (const AutoMountContext& context : {no_admin, host_network}) {
    for (const std::string& line : DescribeSteps(PlanProcAndSys(Parse({"proc:mixed"}), context))) {
      EXPECT_EQ(line.find("/proc/sys/net"), std::string::npos) << line;
    }
  }
}

TEST(PlanProcAndSysTest, ProcRwIsJustProc) {
  EXPECT_EQ(DescribeSteps(PlanProcAndSys(Parse({"proc:rw"}), {})),
            (std::vector<std::string>{
                "filesystem proc on /proc [nosuid,nodev,noexec] create=dir no-symlinks"}));
}

TEST(PlanProcAndSysTest, SysModes) {
  EXPECT_EQ(DescribeSteps(PlanProcAndSys(Parse({"sys:ro"}), {})),
            (std::vector<std::string>{
                "filesystem sysfs on /sys [ro,nosuid,nodev,noexec] create=dir no-symlinks"}));
  EXPECT_EQ(DescribeSteps(PlanProcAndSys(Parse({"sys:rw"}), {})),
            (std::vector<std::string>{
                "filesystem sysfs on /sys [nosuid,nodev,noexec] create=dir no-symlinks"}));
  EXPECT_EQ(DescribeSteps(PlanProcAndSys(Parse({"sys:mixed"}), {})),
            (std::vector<std::string>{
                "filesystem sysfs on /sys [ro,nosuid,nodev,noexec] create=dir no-symlinks",
                "bind container:/sys/devices/virtual/net on /sys/devices/virtual/net [clear ro] "
                "no-symlinks",
            }));
}

TEST(PlanProcAndSysTest, WithoutOwnNetworkSysIsTheHostsSysBoundRecursively) {
  AutoMountContext context;
  context.own_network = false;
  EXPECT_EQ(DescribeSteps(PlanProcAndSys(Parse({"sys:mixed"}), context)),
            (std::vector<std::string>{
                "rbind /sys on /sys [ro,nosuid,nodev,noexec] create=dir no-symlinks"}));
}

TEST(PlanCgroupTest, MountsACgroup2OfTheContainersNamespace) {
  std::vector<std::string> notes;
  EXPECT_EQ(
      DescribeSteps(PlanCgroup(Parse({"cgroup:ro"}), {}, &notes)),
      (std::vector<std::string>{
          "filesystem cgroup2 on /sys/fs/cgroup [ro,nosuid,nodev,noexec] create=dir no-symlinks"}));
  EXPECT_EQ(
      DescribeSteps(PlanCgroup(Parse({"cgroup:rw"}), {}, &notes)),
      (std::vector<std::string>{
          "filesystem cgroup2 on /sys/fs/cgroup [nosuid,nodev,noexec] create=dir no-symlinks"}));
  EXPECT_TRUE(notes.empty());
}

TEST(PlanCgroupTest, WithoutCgroupNamespaceSkipsWithANote) {
  AutoMountContext context;
  context.own_cgroup_namespace = false;
  std::vector<std::string> notes;
  EXPECT_TRUE(PlanCgroup(Parse({"cgroup:mixed"}), context, &notes).empty());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("no cgroup namespace"), std::string::npos);
}

TEST(PlanProcAndSysTest, NothingWhenNothingIsAsked) {
  EXPECT_TRUE(PlanProcAndSys(Parse({}), {}).empty());
}

}  // namespace
// Every cgroup token LXC takes, and what it maps to in a cgroup namespace.
TEST(MountAutoTest, EveryCgroupTokenOfLxcMapsToAMode) {
  using C = AutoMounts::Cgroup;
  const std::pair<const char*, C> tokens[] = {
      {"cgroup", C::kMixed},
      {"cgroup:mixed", C::kMixed},
      {"cgroup:ro", C::kReadOnly},
      {"cgroup:rw", C::kReadWrite},
      {"cgroup:force", C::kMixed},
      {"cgroup:mixed:force", C::kMixed},
      {"cgroup:ro:force", C::kReadOnly},
      {"cgroup:rw:force", C::kReadWrite},
      {"cgroup-full", C::kMixed},
      {"cgroup-full:mixed", C::kMixed},
      {"cgroup-full:ro", C::kReadOnly},
      {"cgroup-full:rw", C::kReadWrite},
      {"cgroup-full:force", C::kMixed},
      {"cgroup-full:mixed:force", C::kMixed},
      {"cgroup-full:ro:force", C::kReadOnly},
      {"cgroup-full:rw:force", C::kReadWrite},
      {"cgroup2", C::kReadWrite},
      {"cgroup2:ro:force", C::kReadOnly},
  };
  for (const auto& [token, mode] : tokens) {
    auto mounts = ParseAutoMounts({token});
    ASSERT_TRUE(mounts.ok()) << token << ": " << mounts.error().ToString();
    EXPECT_EQ(mounts->cgroup, mode) << token;
  }
  for (const char* bad : {"cgroup:", "cgroup:wr", "cgroup-fullx", "cgroup:force:ro", "cgroupx:rw", "cgroup2:rw:ro"}) {
    EXPECT_FALSE(ParseAutoMounts({bad}).ok()) << bad;
  }
}

}  // namespace uxc::launcher

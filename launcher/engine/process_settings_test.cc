#include "launcher/engine/process_settings.h"

#include <gtest/gtest.h>

namespace uxc::launcher {
namespace {

TEST(ParseRlimitTest, OneValueSetsBoth) {
  auto limit = ParseRlimit("1024");
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(limit->rlim_cur, 1024u);
  EXPECT_EQ(limit->rlim_max, 1024u);
}

TEST(ParseRlimitTest, SoftAndHardAndUnlimited) {
  auto limit = ParseRlimit("10:unlimited");
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(limit->rlim_cur, 10u);
  EXPECT_EQ(limit->rlim_max, RLIM_INFINITY);
  auto both = ParseRlimit("unlimited");
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->rlim_cur, RLIM_INFINITY);
}

TEST(ParseRlimitTest, Errors) {
  EXPECT_FALSE(ParseRlimit("").ok());
  EXPECT_FALSE(ParseRlimit("-1").ok());
  EXPECT_FALSE(ParseRlimit("10:5").ok());
  EXPECT_FALSE(ParseRlimit("unlimited:5").ok());
  EXPECT_FALSE(ParseRlimit("1k").ok());
  EXPECT_FALSE(ParseRlimit("1:2:3").ok());
}

TEST(IsNamespacedSysctlTest, OnlyWhatTheContainersNamespacesOwn) {
  EXPECT_TRUE(IsNamespacedSysctl("net.ipv4.ip_forward"));
  EXPECT_TRUE(IsNamespacedSysctl("kernel.shmmax"));
  EXPECT_TRUE(IsNamespacedSysctl("fs.mqueue.msg_max"));
  EXPECT_TRUE(IsNamespacedSysctl("kernel.hostname"));
  EXPECT_FALSE(IsNamespacedSysctl("kernel.pid_max"));
  EXPECT_FALSE(IsNamespacedSysctl("vm.overcommit_memory"));
  EXPECT_FALSE(IsNamespacedSysctl("net."));
  EXPECT_FALSE(IsNamespacedSysctl("kernel.shmmax.x"));
}

}  // namespace
}  // namespace uxc::launcher

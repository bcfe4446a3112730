#include "launcher/engine/systemd_guest.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace uxc::launcher {
namespace {

class SystemdGuestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/uxc-systemd-guest-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    root_ = dir;
    for (const char* sub : {"/sbin", "/lib", "/lib/systemd", "/usr", "/usr/sbin"}) {
      ASSERT_EQ(mkdir((root_ + sub).c_str(), 0755), 0);
    }
    std::ofstream(root_ + "/lib/systemd/systemd") << "#!/bin/sh\n";
    std::ofstream(root_ + "/usr/sbin/init-sysv") << "#!/bin/sh\n";
  }
  void TearDown() override { std::system(("rm -rf " + root_).c_str()); }

  std::string root_;
};

TEST_F(SystemdGuestTest, InitLinkedToSystemdIsFoundInsideTheRoot) {
  ASSERT_EQ(symlink("../lib/systemd/systemd", (root_ + "/sbin/init").c_str()), 0);
  EXPECT_EQ(SystemdInitPath(root_, "/sbin/init"), "/lib/systemd/systemd");
}

TEST_F(SystemdGuestTest, AbsoluteLinkResolvesInsideTheRoot) {
  ASSERT_EQ(symlink("/lib/systemd/systemd", (root_ + "/sbin/init").c_str()), 0);
  EXPECT_EQ(SystemdInitPath(root_, "/sbin/init"), "/lib/systemd/systemd");
}

TEST_F(SystemdGuestTest, OtherInitsAndMissingOnesAreNotSystemd) {
  ASSERT_EQ(symlink("/usr/sbin/init-sysv", (root_ + "/sbin/init").c_str()), 0);
  EXPECT_EQ(SystemdInitPath(root_, "/sbin/init"), std::nullopt);
  EXPECT_EQ(SystemdInitPath(root_, "/sbin/no-such-init"), std::nullopt);
}

// Issue 9 item 10: the rootfs named through a symlink longer than the real
// path made the message's path arithmetic throw std::out_of_range.
TEST_F(SystemdGuestTest, RootfsThroughALongerSymlinkIsResolvedWithoutACrash) {
  ASSERT_EQ(symlink("../lib/systemd/systemd", (root_ + "/sbin/init").c_str()), 0);
  std::string link = root_ + "-reached-through-a-symlink-much-longer-than-the-real-path";
  ASSERT_EQ(symlink(root_.c_str(), link.c_str()), 0);
  auto resolved = SystemdInitPath(link, "/sbin/init");
  unlink(link.c_str());
  EXPECT_EQ(resolved, "/lib/systemd/systemd");
}

TEST_F(SystemdGuestTest, LoopingInitIsNotSystemd) {
  ASSERT_EQ(symlink("init", (root_ + "/sbin/init").c_str()), 0);
  EXPECT_EQ(SystemdInitPath(root_, "/sbin/init"), std::nullopt);
}

TEST(SystemdGuestRefusal, WithoutACgroupTheRefusalSaysWhyAndGivesTheFix) {
  Status refused = RefuseSystemdWithoutCgroup("/sbin/init", "/lib/systemd/systemd",
                                              CgroupProspect{false, "no delegation here: do X"});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("/sbin/init is systemd (/lib/systemd/systemd)"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().hint.find("no delegation here: do X"), std::string::npos) << refused.error().hint;
  EXPECT_NE(refused.error().hint.find("--init sysvinit"), std::string::npos) << refused.error().hint;
}

TEST(SystemdGuestRefusal, WithADelegatedCgroupSystemdBoots) {
  EXPECT_TRUE(RefuseSystemdWithoutCgroup("/sbin/init", "/lib/systemd/systemd", CgroupProspect{true, ""}).ok());
}

}  // namespace
}  // namespace uxc::launcher

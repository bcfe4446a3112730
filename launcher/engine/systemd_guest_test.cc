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

TEST_F(SystemdGuestTest, InitLinkedToSystemdIsRefusedWithWhatToDo) {
  ASSERT_EQ(symlink("../lib/systemd/systemd", (root_ + "/sbin/init").c_str()), 0);
  Status status = RefuseSystemdInit(root_, "/sbin/init");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("/sbin/init is systemd (/lib/systemd/systemd)"), std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find("--init sysvinit"), std::string::npos);
}

TEST_F(SystemdGuestTest, AbsoluteLinkResolvesInsideTheRoot) {
  ASSERT_EQ(symlink("/lib/systemd/systemd", (root_ + "/sbin/init").c_str()), 0);
  EXPECT_FALSE(RefuseSystemdInit(root_, "/sbin/init").ok());
}

TEST_F(SystemdGuestTest, OtherInitsAndMissingOnesPass) {
  ASSERT_EQ(symlink("/usr/sbin/init-sysv", (root_ + "/sbin/init").c_str()), 0);
  EXPECT_TRUE(RefuseSystemdInit(root_, "/sbin/init").ok());
  EXPECT_TRUE(RefuseSystemdInit(root_, "/sbin/no-such-init").ok());
}

// Issue 9 item 10: the rootfs named through a symlink longer than the real
// path made the message's path arithmetic throw std::out_of_range.
TEST_F(SystemdGuestTest, RootfsThroughALongerSymlinkIsRefusedWithoutACrash) {
  ASSERT_EQ(symlink("../lib/systemd/systemd", (root_ + "/sbin/init").c_str()), 0);
  std::string link = root_ + "-reached-through-a-symlink-much-longer-than-the-real-path";
  ASSERT_EQ(symlink(root_.c_str(), link.c_str()), 0);
  Status status = RefuseSystemdInit(link, "/sbin/init");
  unlink(link.c_str());
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("/sbin/init is systemd (/lib/systemd/systemd)"), std::string::npos)
      << status.error().message;
}

TEST_F(SystemdGuestTest, LoopingInitPasses) {
  ASSERT_EQ(symlink("init", (root_ + "/sbin/init").c_str()), 0);
  EXPECT_TRUE(RefuseSystemdInit(root_, "/sbin/init").ok());
}

}  // namespace
}  // namespace uxc::launcher

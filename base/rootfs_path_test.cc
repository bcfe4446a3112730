#include "base/rootfs_path.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace uxc {
namespace {

class RootfsPathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/uxc-rootfs-path-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    base_ = dir;
    root_ = base_ + "/rootfs";
    home_ = base_ + "/home";
    for (const std::string& sub : {root_, home_, root_ + "/var", root_ + "/lib", root_ + "/lib/systemd"}) {
      ASSERT_EQ(mkdir(sub.c_str(), 0755), 0) << sub;
    }
    std::ofstream(root_ + "/lib/systemd/systemd") << "#!/bin/sh\n";
    root_fd_ = UniqueFd(open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(root_fd_.valid());
  }
  void TearDown() override { std::system(("rm -rf " + base_).c_str()); }

  std::string Canonical(const std::string& path) {
    auto canonical = CanonicalPathInRoot(root_fd_.get(), path);
    return canonical.ok() ? *canonical : "error: " + canonical.error().ToString();
  }

  // The host path of an fd, to check where a resolution ended.
  static std::string Where(int fd) {
    char path[4096];
    ssize_t n = readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), path, sizeof path);
    return n > 0 ? std::string(path, n) : "";
  }

  std::string base_, root_, home_;
  UniqueFd root_fd_;
};

TEST_F(RootfsPathTest, CanonicalPathFollowsLinksInsideTheRoot) {
  ASSERT_EQ(mkdir((root_ + "/sbin").c_str(), 0755), 0);
  ASSERT_EQ(symlink("../lib/systemd/systemd", (root_ + "/sbin/init").c_str()), 0);
  EXPECT_EQ(Canonical("/sbin/init"), "/lib/systemd/systemd");
  EXPECT_EQ(Canonical("sbin/./init"), "/lib/systemd/systemd");
  EXPECT_EQ(Canonical("/"), "/");
}

TEST_F(RootfsPathTest, DotDotAndAbsoluteLinksStopAtTheRoot) {
  ASSERT_EQ(symlink("../../../../../../lib", (root_ + "/up").c_str()), 0);
  ASSERT_EQ(symlink("/lib/systemd", (root_ + "/var/abs").c_str()), 0);
  EXPECT_EQ(Canonical("/up/systemd/systemd"), "/lib/systemd/systemd");
  EXPECT_EQ(Canonical("/var/abs/systemd"), "/lib/systemd/systemd");
  EXPECT_EQ(Canonical("/../../lib/../lib/systemd"), "/lib/systemd");
}

TEST_F(RootfsPathTest, LoopsAndDeadEndsAreErrorsNotCrashes) {
  ASSERT_EQ(symlink("loop", (root_ + "/loop").c_str()), 0);
  EXPECT_EQ(CanonicalPathInRoot(root_fd_.get(), "/loop").error().errno_value, ELOOP);
  EXPECT_EQ(CanonicalPathInRoot(root_fd_.get(), "/missing").error().errno_value, ENOENT);
  EXPECT_EQ(CanonicalPathInRoot(root_fd_.get(), "/lib/systemd/systemd/x").error().errno_value, ENOTDIR);
}

TEST_F(RootfsPathTest, ParentOutsideAnyRootIsTheHostsDirectory) {
  auto parent = OpenParentDir(home_ + "/console.log", root_);
  ASSERT_TRUE(parent.ok()) << parent.error().ToString();
  EXPECT_EQ(Where(parent->dir.get()), home_);
  EXPECT_EQ(parent->name, "console.log");
}

TEST_F(RootfsPathTest, SymlinkedDirectoryInTheRootStaysInTheRoot) {
  // The attack: var/log in the rootfs is a symlink to the user's home.
  ASSERT_EQ(symlink(home_.c_str(), (root_ + "/var/log").c_str()), 0);
  auto parent = OpenParentDir(root_ + "/var/log/console.log", root_);
  ASSERT_FALSE(parent.ok());
  EXPECT_EQ(parent.error().errno_value, ENOENT);
  // Where the home's path exists inside the root, that is where it leads.
  ASSERT_EQ(system(("mkdir -p " + root_ + home_).c_str()), 0);
  parent = OpenParentDir(root_ + "/var/log/console.log", root_);
  ASSERT_TRUE(parent.ok()) << parent.error().ToString();
  EXPECT_EQ(Where(parent->dir.get()), root_ + home_);
}

TEST_F(RootfsPathTest, RootReachedThroughTheUsersSymlinkIsStillConfined) {
  std::string link = base_ + "/a-much-longer-name-for-the-same-rootfs";
  ASSERT_EQ(symlink(root_.c_str(), link.c_str()), 0);
  ASSERT_EQ(symlink("../../home", (root_ + "/var/log").c_str()), 0);
  auto parent = OpenParentDir(link + "/var/log/console.log", link);
  EXPECT_FALSE(parent.ok());
  // Named through the user's link but with the rootfs given by its own path.
  parent = OpenParentDir(link + "/var/log/console.log", root_);
  EXPECT_FALSE(parent.ok());
  ASSERT_EQ(mkdir((root_ + "/home").c_str(), 0755), 0);
  parent = OpenParentDir(link + "/var/log/x", root_);
  ASSERT_TRUE(parent.ok()) << parent.error().ToString();
  EXPECT_EQ(Where(parent->dir.get()), root_ + "/home");
}

TEST_F(RootfsPathTest, PathsThatNameNoFileAreRefused) {
  EXPECT_FALSE(OpenParentDir(root_ + "/var/", root_).ok());
  EXPECT_FALSE(OpenParentDir(root_ + "/..", root_).ok());
  EXPECT_FALSE(OpenParentDir("", root_).ok());
}

}  // namespace
}  // namespace uxc

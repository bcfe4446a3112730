#include "launcher/lifecycle/runtime_dir.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

TEST(RuntimeDirTest, PathsLieUnderTheBase) {
  RuntimePaths paths = PathsFor("/home/a/.cache/uxc/run", "c1");
  EXPECT_EQ(paths.dir, "/home/a/.cache/uxc/run/c1");
  EXPECT_EQ(paths.state, "/home/a/.cache/uxc/run/c1/state");
  EXPECT_EQ(paths.socket, "/home/a/.cache/uxc/run/c1/control");
}

TEST(RuntimeDirTest, WithoutXdgRuntimeDirTheBaseIsInTheHome) {
  RuntimeBaseChoice choice = ChooseRuntimeBase("", "/home/a", 1000);
  EXPECT_EQ(choice.base, "/home/a/.cache/uxc/run");
  EXPECT_EQ(choice.warning, "");
}

class PrivateDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/uxc-rundir-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    parent_ = dir;
    path_ = parent_ + "/uxc";
  }
  void TearDown() override {
    unlink(path_.c_str());
    rmdir(path_.c_str());
    rmdir(parent_.c_str());
  }
  std::string parent_;
  std::string path_;
};

TEST_F(PrivateDirTest, CreatesAPrivateDir) {
  ASSERT_TRUE(EnsurePrivateDir(path_, getuid()).ok());
  struct stat st;
  ASSERT_EQ(lstat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  EXPECT_TRUE(EnsurePrivateDir(path_, getuid()).ok());
}

TEST_F(PrivateDirTest, RefusesSomeoneElsesDir) {
  ASSERT_EQ(mkdir(path_.c_str(), 0700), 0);
  auto status = CheckPrivateDir(path_, getuid() + 1);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("(uid " + std::to_string(getuid()) + "), not to you"), std::string::npos)
      << status.error().message;
}

TEST_F(PrivateDirTest, RefusesAnOpenMode) {
  ASSERT_EQ(mkdir(path_.c_str(), 0700), 0);
  ASSERT_EQ(chmod(path_.c_str(), 0755), 0);
  auto status = CheckPrivateDir(path_, getuid());
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("chmod 700"), std::string::npos) << status.error().message;
}

TEST_F(PrivateDirTest, RefusesASymlink) {
  ASSERT_EQ(symlink(parent_.c_str(), path_.c_str()), 0);
  auto status = CheckPrivateDir(path_, getuid());
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("is a symlink to " + parent_), std::string::npos) << status.error().message;
}

TEST_F(PrivateDirTest, AnXdgRuntimeDirOfOurOwnIsUsed) {
  ASSERT_EQ(chmod(parent_.c_str(), 0700), 0);
  RuntimeBaseChoice choice = ChooseRuntimeBase(parent_, "/home/a", getuid());
  EXPECT_EQ(choice.base, parent_ + "/uxc");
  EXPECT_EQ(choice.warning, "");
}

// XDG_RUNTIME_DIR=/tmp, or a directory of someone else's: another user
// could create uxc's directory there first, so uxc does not use it.
TEST_F(PrivateDirTest, ASharedOrForeignXdgRuntimeDirIsNotUsed) {
  ASSERT_EQ(chmod(parent_.c_str(), 01777), 0);
  RuntimeBaseChoice shared = ChooseRuntimeBase(parent_, "/home/a", getuid());
  EXPECT_EQ(shared.base, "/home/a/.cache/uxc/run");
  EXPECT_NE(shared.warning.find("has mode 1777, so others may write there"), std::string::npos) << shared.warning;
  ASSERT_EQ(chmod(parent_.c_str(), 0700), 0);
  RuntimeBaseChoice foreign = ChooseRuntimeBase(parent_, "/home/a", getuid() + 1);
  EXPECT_EQ(foreign.base, "/home/a/.cache/uxc/run");
  EXPECT_NE(foreign.warning.find("belongs to"), std::string::npos) << foreign.warning;
  RuntimeBaseChoice absent = ChooseRuntimeBase(parent_ + "/absent", "/home/a", getuid());
  EXPECT_EQ(absent.base, "/home/a/.cache/uxc/run");
  ASSERT_EQ(symlink(parent_.c_str(), path_.c_str()), 0);
  EXPECT_EQ(ChooseRuntimeBase(path_, "/home/a", getuid()).base, "/home/a/.cache/uxc/run");
}

}  // namespace
}  // namespace uxc::lifecycle

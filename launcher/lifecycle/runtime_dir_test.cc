#include "launcher/lifecycle/runtime_dir.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

TEST(RuntimeDirTest, BaseFollowsXdgRuntimeDir) {
  EXPECT_EQ(RuntimeBase("/run/user/1000", 1000), "/run/user/1000/uxc");
  EXPECT_EQ(RuntimeBase("", 1000), "/tmp/uxc-1000");
  RuntimePaths paths = PathsFor("/tmp/uxc-1000", "c1");
  EXPECT_EQ(paths.state, "/tmp/uxc-1000/c1/state");
  EXPECT_EQ(paths.socket, "/tmp/uxc-1000/c1/control");
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
  EXPECT_NE(status.error().message.find("belongs to uid " + std::to_string(getuid())), std::string::npos)
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
  EXPECT_NE(status.error().message.find("not a directory"), std::string::npos) << status.error().message;
}

}  // namespace
}  // namespace uxc::lifecycle

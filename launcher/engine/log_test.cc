#include "launcher/engine/log.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace uxc::log {
namespace {

TEST(LogTest, LevelsByNameAnyCaseAndByLxcNumber) {
  EXPECT_EQ(*ParseLevel("DEBUG"), Level::kDebug);
  EXPECT_EQ(*ParseLevel("debug"), Level::kDebug);
  EXPECT_EQ(*ParseLevel("0"), Level::kTrace);
  EXPECT_EQ(*ParseLevel("8"), Level::kFatal);
  EXPECT_EQ(*ParseLevel("NOTSET"), Level::kError);
  EXPECT_FALSE(ParseLevel("9").ok());
  EXPECT_FALSE(ParseLevel("LOUD").ok());
  EXPECT_STREQ(LevelName(Level::kWarn), "WARN");
}

TEST(LogTest, LineHasNameUtcStampLevelAndCategory) {
  timespec when = {1764017820, 123456789};  // 2025-11-24 20:57:00.123 UTC
  EXPECT_EQ(FormatLine("c1", when, Level::kDebug, "start", "cloned the init: pid 42"),
            "uxc c1 20251124205700.123 DEBUG start - cloned the init: pid 42\n");
  EXPECT_EQ(FormatLine("c1", when, Level::kError, "start", "two\nlines"),
            "uxc c1 20251124205700.123 ERROR start - two lines\n");
}

TEST(LogTest, PlanFromTheConfigRelativeToTheWorkingDirectory) {
  auto config = config::ParseContainerConfigText("lxc.log.file = /var/log/c1.log\nlxc.log.level = debug\n",
                                                 "test.conf");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  auto plan = PlanLog(*config, "c1");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->file, "/var/log/c1.log");
  EXPECT_EQ(plan->level, Level::kDebug);
  EXPECT_EQ(plan->name, "c1");

  auto relative = config::ParseContainerConfigText("lxc.log.file = c1.log\n", "test.conf");
  ASSERT_TRUE(relative.ok());
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof cwd), nullptr);
  EXPECT_EQ(PlanLog(*relative, "c1")->file, std::string(cwd) + "/c1.log");
  EXPECT_EQ(PlanLog(*relative, "c1")->level, Level::kError);
}

class LogFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/uxc-log-test.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override {
    ASSERT_TRUE(OpenLog(LogPlan{}).ok());
    std::string command = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(system(command.c_str()), 0);
  }
  std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string dir_;
};

TEST_F(LogFileTest, WritesLinesAtOrAboveTheLevelOnly) {
  LogPlan plan{dir_ + "/c1.log", Level::kInfo, "c1", ""};
  ASSERT_TRUE(OpenLog(plan).ok());
  Debug("start", "hidden");
  Info("start", "shown");
  Error("start", "also shown");
  std::string text = Read(plan.file);
  EXPECT_EQ(text.find("hidden"), std::string::npos) << text;
  EXPECT_NE(text.find(" INFO start - shown\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" ERROR start - also shown\n"), std::string::npos) << text;
  struct stat st;
  ASSERT_EQ(stat(plan.file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(LogFileTest, NoFileWritesNothingAndASymlinkIsRefused) {
  ASSERT_TRUE(OpenLog(LogPlan{}).ok());
  EXPECT_FALSE(Enabled(Level::kFatal));
  std::string link = dir_ + "/link.log";
  ASSERT_EQ(symlink((dir_ + "/target").c_str(), link.c_str()), 0);
  EXPECT_FALSE(OpenLog(LogPlan{link, Level::kDebug, "c1", ""}).ok());
}

// Issue 9 item 5: var/log in the rootfs is a symlink to the user's home.
TEST_F(LogFileTest, ALogInTheRootfsDoesNotFollowItsSymlinkedDirectories) {
  std::string root = dir_ + "/rootfs", home = dir_ + "/home";
  ASSERT_EQ(mkdir(root.c_str(), 0755), 0);
  ASSERT_EQ(mkdir((root + "/var").c_str(), 0755), 0);
  ASSERT_EQ(mkdir(home.c_str(), 0755), 0);
  ASSERT_EQ(symlink(home.c_str(), (root + "/var/log").c_str()), 0);
  Status opened = OpenLog(LogPlan{root + "/var/log/uxc.log", Level::kDebug, "c1", root});
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("lxc.log.file"), std::string::npos) << opened.error().message;
  EXPECT_NE(access((home + "/uxc.log").c_str(), F_OK), 0);
}

}  // namespace
}  // namespace uxc::log

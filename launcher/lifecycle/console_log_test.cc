#include "launcher/lifecycle/console_log.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

class ConsoleLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/console_log_test.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/console.log";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string Contents(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::string dir_;
  std::string path_;
};

TEST_F(ConsoleLogTest, AppendsWithoutALimit) {
  auto log = ConsoleLog::Open(path_, 0, false);
  ASSERT_TRUE(log.ok()) << log.error().ToString();
  ASSERT_TRUE(log->Write("abc").ok());
  ASSERT_TRUE(log->Write("def").ok());
  EXPECT_EQ(Contents(path_), "abcdef");
  EXPECT_FALSE(std::filesystem::exists(path_ + ".1"));
}

TEST_F(ConsoleLogTest, TruncatesWhenTheLimitIsReachedWithoutRotate) {
  std::ofstream(path_) << "1234";
  auto log = ConsoleLog::Open(path_, 8, false);
  ASSERT_TRUE(log.ok()) << log.error().ToString();
  ASSERT_TRUE(log->Write("5678").ok());
  EXPECT_EQ(Contents(path_), "12345678");
  ASSERT_TRUE(log->Write("9").ok());
  EXPECT_EQ(Contents(path_), "9");
  EXPECT_FALSE(std::filesystem::exists(path_ + ".1"));
}

TEST_F(ConsoleLogTest, RotatesToFileDotOne) {
  auto log = ConsoleLog::Open(path_, 8, true);
  ASSERT_TRUE(log.ok()) << log.error().ToString();
  ASSERT_TRUE(log->Write("abcdef").ok());
  ASSERT_TRUE(log->Write("ghij").ok());
  EXPECT_EQ(Contents(path_ + ".1"), "abcdef");
  EXPECT_EQ(Contents(path_), "ghij");
  ASSERT_TRUE(log->Write("klmnop").ok());
  EXPECT_EQ(Contents(path_ + ".1"), "ghij");
  EXPECT_EQ(Contents(path_), "klmnop");
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ConsoleLogTest, AWriteLargerThanTheLimitKeepsItsTail) {
  auto log = ConsoleLog::Open(path_, 4, false);
  ASSERT_TRUE(log.ok()) << log.error().ToString();
  ASSERT_TRUE(log->Write("ab").ok());
  ASSERT_TRUE(log->Write("0123456789").ok());
  EXPECT_EQ(Contents(path_), "6789");
}

TEST_F(ConsoleLogTest, CountsWhatTheFileAlreadyHolds) {
  std::ofstream(path_) << "abcdef";
  auto log = ConsoleLog::Open(path_, 8, true);
  ASSERT_TRUE(log.ok()) << log.error().ToString();
  ASSERT_TRUE(log->Write("xyz").ok());
  EXPECT_EQ(Contents(path_ + ".1"), "abcdef");
  EXPECT_EQ(Contents(path_), "xyz");
}

TEST_F(ConsoleLogTest, DoesNotOpenThroughASymlink) {
  std::string target = dir_ + "/target";
  std::ofstream(target) << "keep";
  ASSERT_EQ(symlink(target.c_str(), path_.c_str()), 0);
  auto log = ConsoleLog::Open(path_, 0, false);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.error().errno_value, ELOOP);
  EXPECT_NE(log.error().ToString().find(path_), std::string::npos) << log.error().ToString();
}

TEST_F(ConsoleLogTest, RefusesASymlinkPlantedBeforeTheReopen) {
  auto log = ConsoleLog::Open(path_, 4, true);
  ASSERT_TRUE(log.ok()) << log.error().ToString();
  ASSERT_TRUE(log->Write("abcd").ok());
  // Someone swaps FILE for a symlink to another file of theirs.
  std::string target = dir_ + "/target";
  std::ofstream(target) << "keep";
  std::string planted = path_ + ".planted";
  ASSERT_EQ(symlink(target.c_str(), planted.c_str()), 0);
  ASSERT_EQ(rename(path_.c_str(), (dir_ + "/moved").c_str()), 0);
  ASSERT_EQ(rename(planted.c_str(), path_.c_str()), 0);
  // The rotation moves the symlink itself to FILE.1 and creates a fresh
  // regular FILE: the symlink's target is never written.
  ASSERT_TRUE(log->Write("efgh").ok());
  EXPECT_EQ(Contents(target), "keep");
  EXPECT_EQ(Contents(path_), "efgh");
}

// Issue 9 item 5: var/log in the container's root swapped for a symlink to
// the user's home, before the open or between the open and a rotation.
TEST_F(ConsoleLogTest, DirectoryInTheRootSwappedForASymlinkIsNotFollowed) {
  std::string root = dir_ + "/rootfs", home = dir_ + "/home";
  std::filesystem::create_directories(root + "/var/log");
  std::filesystem::create_directories(home);
  std::string log_path = root + "/var/log/console.log";
  auto log = ConsoleLog::Open(log_path, 4, true, root);
  ASSERT_TRUE(log.ok()) << log.error().ToString();
  ASSERT_EQ(rename((root + "/var/log").c_str(), (root + "/var/log.old").c_str()), 0);
  ASSERT_EQ(symlink(home.c_str(), (root + "/var/log").c_str()), 0);
  ASSERT_TRUE(log->Write("abcd").ok());
  ASSERT_TRUE(log->Write("efgh").ok());
  EXPECT_TRUE(std::filesystem::is_empty(home));
  EXPECT_EQ(Contents(root + "/var/log.old/console.log.1"), "abcd");
  EXPECT_EQ(Contents(root + "/var/log.old/console.log"), "efgh");
  // A new open resolves the symlink inside the root, where there is no home.
  auto again = ConsoleLog::Open(log_path, 4, true, root);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().errno_value, ENOENT);
  EXPECT_NE(again.error().message.find("lxc.console.logfile"), std::string::npos) << again.error().message;
  EXPECT_TRUE(std::filesystem::is_empty(home));
}

TEST_F(ConsoleLogTest, AFifoInTheLogsPlaceIsRefusedAtOnce) {
  ASSERT_EQ(mkfifo(path_.c_str(), 0600), 0);
  auto log = ConsoleLog::Open(path_, 0, false);
  ASSERT_FALSE(log.ok());
  EXPECT_NE(log.error().ToString().find("not a regular file"), std::string::npos) << log.error().ToString();
}

TEST_F(ConsoleLogTest, WriteOnAClosedLogIsAnError) {
  ConsoleLog log;
  EXPECT_FALSE(log.is_open());
  EXPECT_FALSE(log.Write("x").ok());
}

}  // namespace
}  // namespace uxc::lifecycle

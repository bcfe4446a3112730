#include "launcher/lifecycle/last_exit.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

LastExit Exit(int64_t ended, int64_t ran_ms, int exit_code, int signal = 0, bool reboot = false) {
  LastExit exit;
  exit.ended = ended;
  exit.ran_ms = ran_ms;
  exit.exit_code = exit_code;
  exit.signal = signal;
  exit.reboot = reboot;
  return exit;
}

TEST(LastExitTest, RoundTripsAnExitAndAKill) {
  LastExit exited = Exit(1700000000, 1520, 3);
  auto parsed = ParseLastExit(SerializeLastExit(exited), "f");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(*parsed, exited);
  LastExit killed = Exit(1, -1, -1, SIGHUP, true);
  parsed = ParseLastExit(SerializeLastExit(killed), "f");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(*parsed, killed);
}

TEST(LastExitTest, RefusesBadRecordsWithTheLine) {
  auto both = ParseLastExit("uxc-last-exit 1\nended=1\nexit_code=3\nsignal=9\n", "f");
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("f:4: exactly one of exit_code and signal"), std::string::npos)
      << both.error().message;
  auto bad = ParseLastExit("uxc-last-exit 1\nexit_code=300\n", "f");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("f:2: bad value for exit_code"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(ParseLastExit("uxc-last-exit 1\nsignal=0\n", "f").ok());
  EXPECT_FALSE(ParseLastExit("uxc-last-exit 1\ntarget=halt\nexit_code=0\n", "f").ok());
  EXPECT_FALSE(ParseLastExit("uxc-state 1\nexit_code=0\n", "f").ok());
  EXPECT_FALSE(ParseLastExit("uxc-last-exit 1\nexit_code=0", "f").ok());
  EXPECT_FALSE(ParseLastExit("", "f").ok());
}

TEST(LastExitTest, DescribesTheExit) {
  EXPECT_EQ(DescribeExit(Exit(0, 50, 3)), "exited with status 3 after 0.05 s");
  EXPECT_EQ(DescribeExit(Exit(0, 125000, -1, SIGKILL)), "was killed by SIGKILL after 2 min 5 s");
  EXPECT_EQ(DescribeExit(Exit(0, -1, -1, SIGHUP, true)), "was killed by SIGHUP (a reboot)");
}

TEST(LastExitTest, LastLinesAreTheLastAndCarryNoControlCharacters) {
  auto lines = LastLines("one\r\ntwo\n\n\x1b[2Jthree\tx\nfour", 3);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "two");
  EXPECT_EQ(lines[1], "?[2Jthree x");
  EXPECT_EQ(lines[2], "four");
}

TEST(LastExitTest, FilesRoundTripKeepTheConsolesTailAndAreBounded) {
  char dir[] = "/tmp/uxc-last-exit-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  auto none = ReadLastExit(dir);
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_FALSE(none->has_value());
  LastExit exited = Exit(1700000000, 7, 3);
  std::string console(kMostConsoleTail + 10, 'x');
  console += "last line\n";
  ASSERT_TRUE(RecordLastExit(dir, exited, console).ok());
  auto read = ReadLastExit(dir);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ(**read, exited);
  auto tail = ReadLastConsole(dir);
  ASSERT_TRUE(tail.ok()) << tail.error().ToString();
  EXPECT_EQ(tail->size(), kMostConsoleTail);
  EXPECT_TRUE(tail->ends_with("last line\n"));
  struct stat st;
  ASSERT_EQ(stat((std::string(dir) + "/last-exit").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // A record that grew past its bound, or a FIFO in its place, is refused.
  std::string record = std::string(dir) + "/last-exit";
  unlink(record.c_str());
  ASSERT_EQ(mkfifo(record.c_str(), 0600), 0);
  EXPECT_FALSE(ReadLastExit(dir).ok());
  unlink(record.c_str());
  unlink((std::string(dir) + "/last-console").c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace uxc::lifecycle

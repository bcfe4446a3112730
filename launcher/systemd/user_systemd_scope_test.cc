#include "launcher/systemd/user_systemd_scope.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace uxc::launcher {
namespace {

std::string OwnCgroup() {
  std::ifstream in("/proc/self/cgroup");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(UserSystemdScopeTest, NoteGivesTheExactSystemdRunLine) {
  std::string note = NoUserBusNote("web");
  EXPECT_NE(note.find("`systemd-run --user --scope -p Delegate=yes uxc start web`"), std::string::npos) << note;
  EXPECT_NE(note.find("su or cron"), std::string::npos) << note;
  EXPECT_EQ(note.find('\n'), std::string::npos) << "one line: " << note;
}

// The build host's PID 1 is not systemd (tests/vm's systemd host tests the
// other cases): nothing is asked and nothing moves.
TEST(UserSystemdScopeTest, WithoutSystemdNothingIsAskedAndNothingMoves) {
  struct stat st;
  if (stat("/run/systemd/system", &st) == 0) GTEST_SKIP() << "systemd runs here; tests/vm/systemd_test.cc covers it";
  std::string before = OwnCgroup();
  EXPECT_EQ(FindUserSystemd(), UserSystemd::kNone);
  auto entered = EnterUserSystemdScope("web");
  ASSERT_TRUE(entered.ok()) << entered.error().ToString();
  EXPECT_FALSE(*entered);
  EXPECT_EQ(OwnCgroup(), before);
}

}  // namespace
}  // namespace uxc::launcher

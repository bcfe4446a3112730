#include "launcher/lifecycle/state.h"

#include <stdlib.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

ContainerState Sample() {
  ContainerState state;
  state.name = "c1";
  state.init_pid = 1234;
  state.monitor_pid = 1233;
  state.config_file = "/home/u/c1/config";
  state.started = 1700000000;
  return state;
}

TEST(StateTest, RoundTrips) {
  auto parsed = ParseState(SerializeState(Sample()), "state");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(*parsed, Sample());
}

TEST(StateTest, ForegroundRunsRoundTripAndOnlyTheyCarryTheLine) {
  ContainerState state = Sample();
  EXPECT_EQ(SerializeState(state).find("foreground"), std::string::npos);
  state.foreground = true;
  std::string text = SerializeState(state);
  EXPECT_NE(text.find("\nforeground=1\n"), std::string::npos) << text;
  auto parsed = ParseState(text, "state");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(*parsed, state);
  text.replace(text.find("foreground=1"), 12, "foreground=y");
  EXPECT_FALSE(ParseState(text, "f").ok());
}

TEST(StateTest, RejectsAWrongVersionLine) {
  auto parsed = ParseState("uxc-state 2\nname=c1\n", "f");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("f:1: expected \"uxc-state 1\""), std::string::npos)
      << parsed.error().message;
}

TEST(StateTest, RejectsABadPidWithItsLine) {
  std::string text = SerializeState(Sample());
  text.replace(text.find("init_pid=1234"), 13, "init_pid=12x4");
  auto parsed = ParseState(text, "f");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("f:3: bad value for init_pid"), std::string::npos)
      << parsed.error().message;
}

TEST(StateTest, RejectsUnknownKeysTruncationAndMissingFields) {
  EXPECT_FALSE(ParseState("uxc-state 1\ncolour=red\n", "f").ok());
  EXPECT_FALSE(ParseState("uxc-state 1\nname=c1", "f").ok());
  EXPECT_FALSE(ParseState("uxc-state 1\nname=c1\n", "f").ok());
  EXPECT_FALSE(ParseState("", "f").ok());
  EXPECT_FALSE(ParseState("uxc-state 1\ninit_pid=-3\n", "f").ok());
}

TEST(StateTest, FileRoundTripsWithPrivateMode) {
  char dir[] = "/tmp/uxc-state-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/state";
  ASSERT_TRUE(WriteStateFile(path, Sample()).ok());
  auto read = ReadStateFile(path);
  ASSERT_TRUE(read.ok()) << read.error().ToString();
  EXPECT_EQ(*read, Sample());
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  unlink(path.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace uxc::lifecycle

#include "launcher/templates/userns_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

TEST(UsernsCommandTest, ContainerMapsPutTheRangesAtZero) {
  UsernsIds ids{1000, 1001, {100000, 65536}, {200000, 1000}};
  EXPECT_EQ(ContainerMaps(ids), (std::vector<std::string>{"u:0:100000:65536", "g:0:200000:1000"}));
}

TEST(UsernsCommandTest, OwnerIdsGoAtTheFirstFreeId) {
  UsernsIds ids{1000, 1001, {100000, 65536}, {200000, 1000}};
  EXPECT_EQ(ContainerAndOwnerMaps(ids), (std::vector<std::string>{"u:0:100000:65536", "g:0:200000:1000",
                                                                  "u:65536:1000:1", "g:1000:1001:1"}));
}

// A stand-in for `uxc usernsexec` that records its arguments and runs the
// command as it is: what RunInUserns hands over is checked without a namespace.
class FakeUsernsexec : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::string(getenv("TEST_TMPDIR"));
    fake_ = dir_ + "/fake-uxc";
    std::ofstream(fake_) << "#!/bin/sh\n"
                            "echo \"$@\" > " << dir_ << "/args\n"
                            "while [ \"$1\" != -- ]; do shift; done\n"
                            "shift\n"
                            "exec \"$@\"\n";
    chmod(fake_.c_str(), 0755);
  }
  std::string dir_;
  std::string fake_;
};

TEST_F(FakeUsernsexec, PassesMapsStdinAndStdout) {
  std::string in_path = dir_ + "/in", out_path = dir_ + "/out";
  std::ofstream(in_path) << "through the pipe\n";
  int in = open(in_path.c_str(), O_RDONLY | O_CLOEXEC);
  int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(in, 0);
  ASSERT_GE(out, 0);
  auto outcome = RunInUserns(fake_, {{"u:0:1:2", "g:0:3:4"}, {"cat"}, in, out});
  close(in);
  close(out);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  EXPECT_EQ(outcome->exit_code, 0);
  std::ifstream args(dir_ + "/args"), copied(out_path);
  std::string line;
  std::getline(args, line);
  EXPECT_EQ(line, "usernsexec -m u:0:1:2 -m g:0:3:4 -- cat");
  std::getline(copied, line);
  EXPECT_EQ(line, "through the pipe");
}

TEST_F(FakeUsernsexec, FailureNamesTheCommandAndKeepsItsMessages) {
  auto outcome = RunInUserns(fake_, {{}, {"sh", "-c", "echo broken >&2; exit 3"}, -1, -1});
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->exit_code, 3);
  EXPECT_EQ(outcome->stderr_tail, "broken\n");
  Status status = RunInUsernsOrFail(fake_, {{}, {"false"}, -1, -1}, "do the thing");
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("do the thing: `false`"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("exited with status 1"), std::string::npos);
}

}  // namespace
}  // namespace uxc::templates

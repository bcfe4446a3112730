#include "launcher/lifecycle/control_socket.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

class ControlSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/uxc-socket-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/control";
  }
  void TearDown() override {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }
  std::string dir_;
  std::string path_;
};

TEST_F(ControlSocketTest, AnswersALineAndPassesAnFd) {
  auto listener = ListenControlSocket(path_);
  ASSERT_TRUE(listener.ok()) << listener.error().ToString();
  auto client = ConnectControlSocket(path_, "c1");
  ASSERT_TRUE(client.ok()) << client.error().ToString();
  UniqueFd server(accept4(listener->get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(server.valid());
  ASSERT_TRUE(CheckPeerIsSameUser(server.get()).ok());

  ASSERT_TRUE(SendMessage(client->get(), "pid\n").ok());
  auto request = ReceiveLine(server.get());
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(*request, "pid");
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  ASSERT_TRUE(SendMessage(server.get(), "ok 3\nabc", write_end.get()).ok());
  UniqueFd passed;
  auto answer = ReceiveLine(client->get(), &passed);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(*answer, "ok 3");
  auto bytes = ReceiveBytes(client->get(), 3);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "abc");
  ASSERT_TRUE(passed.valid());
  ASSERT_EQ(write(passed.get(), "x", 1), 1);
  char c = 0;
  ASSERT_EQ(read(read_end.get(), &c, 1), 1);
  EXPECT_EQ(c, 'x');
}

TEST_F(ControlSocketTest, ErrorAnswerBecomesAnError) {
  auto listener = ListenControlSocket(path_);
  ASSERT_TRUE(listener.ok());
  auto client = ConnectControlSocket(path_, "c1");
  ASSERT_TRUE(client.ok());
  UniqueFd server(accept4(listener->get(), nullptr, nullptr, SOCK_CLOEXEC));
  ASSERT_TRUE(SendMessage(server.get(), "error: no such tty\n").ok());
  auto answer = Ask(client->get(), "console 9");
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().message, "no such tty");
}

TEST_F(ControlSocketTest, StaleSocketIsNamed) {
  { auto listener = ListenControlSocket(path_); ASSERT_TRUE(listener.ok()); }
  auto client = ConnectControlSocket(path_, "c1");
  ASSERT_FALSE(client.ok());
  EXPECT_NE(client.error().message.find("stale"), std::string::npos) << client.error().message;
}

TEST_F(ControlSocketTest, MissingSocketMeansNotRunning) {
  auto client = ConnectControlSocket(path_, "c1");
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().message, "container 'c1' is not running");
}

// sun_path holds 107 bytes; a runtime dir under a deep home may be longer.
TEST_F(ControlSocketTest, APathLongerThanSunPathStillWorks) {
  std::string deep = dir_;
  std::vector<std::string> made;
  while (deep.size() < 120) {
    deep += "/a-rather-long-directory-name";
    ASSERT_EQ(mkdir(deep.c_str(), 0700), 0);
    made.push_back(deep);
  }
  std::string path = deep + "/control";
  auto listener = ListenControlSocket(path);
  ASSERT_TRUE(listener.ok()) << listener.error().ToString();
  auto client = ConnectControlSocket(path, "c1");
  EXPECT_TRUE(client.ok()) << client.error().ToString();
  unlink(path.c_str());
  for (auto dir = made.rbegin(); dir != made.rend(); ++dir) rmdir(dir->c_str());
}

}  // namespace
}  // namespace uxc::lifecycle

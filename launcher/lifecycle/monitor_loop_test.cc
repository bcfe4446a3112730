#include "launcher/lifecycle/monitor_loop.h"

#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "gtest/gtest.h"
#include "launcher/lifecycle/control_socket.h"

namespace uxc::lifecycle {
namespace {

// The loop against a real child (the "init"), a real pty (the console) and
// a real socket; the child ends on the halt signal, as an init would.
class MonitorLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/uxc-monitor-loop-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    child_ = fork();
    ASSERT_GE(child_, 0);
    if (child_ == 0) {
      for (;;) pause();
    }
    handles_.init_pid = child_;
    handles_.init_pidfd = UniqueFd(static_cast<int>(syscall(SYS_pidfd_open, child_, 0)));
    ASSERT_TRUE(handles_.init_pidfd.valid());
    int multiplexer = -1, peer = -1;
    ASSERT_EQ(openpty(&multiplexer, &peer, nullptr, nullptr, nullptr), 0);
    handles_.ptys.emplace_back(multiplexer);
    handles_.console_peer = UniqueFd(peer);
    handles_.has_console = true;
    auto listener = ListenControlSocket(dir_ + "/control");
    ASSERT_TRUE(listener.ok()) << listener.error().ToString();
    handles_.listener = std::move(*listener);
    handles_.ring_size = 8;
    handles_.halt_signal = SIGUSR1;
  }

  void TearDown() override {
    if (child_ > 0 && kill(child_, SIGKILL) == 0) waitpid(child_, nullptr, 0);
    unlink((dir_ + "/control").c_str());
    rmdir(dir_.c_str());
  }

  UniqueFd Connect() {
    auto client = ConnectControlSocket(dir_ + "/control", "c1");
    EXPECT_TRUE(client.ok()) << client.error().ToString();
    return client.ok() ? std::move(*client) : UniqueFd();
  }

  std::string dir_;
  pid_t child_ = -1;
  MonitorHandles handles_;
};

TEST_F(MonitorLoopTest, AnswersLendsTheConsoleAndEndsWithTheInit) {
  // Written before the loop runs: its first round copies it into the ring.
  int peer = handles_.console_peer.get();
  ASSERT_EQ(write(peer, "0123456789", 10), 10);
  MonitorLoop loop(std::move(handles_));
  siginfo_t exit = {};
  std::thread serving([&] { exit = loop.Serve(); });

  UniqueFd client = Connect();
  EXPECT_EQ(*Ask(client.get(), "state"), "RUNNING");
  EXPECT_EQ(*Ask(client.get(), "pid"), std::to_string(child_));
  auto unknown = Ask(client.get(), "dance");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "unknown request \"dance\"");
  auto no_tty = Ask(client.get(), "console 3");
  ASSERT_FALSE(no_tty.ok());
  EXPECT_EQ(no_tty.error().message, "the container has no tty3 (see lxc.console.path and lxc.tty.max)");

  // The console: the ring's last 8 bytes, and the pty's multiplexer.
  UniqueFd console_client = Connect();
  UniqueFd pty;
  auto lent = Ask(console_client.get(), "console 0", &pty);
  ASSERT_TRUE(lent.ok()) << lent.error().ToString();
  EXPECT_EQ(*lent, "ok 8");
  EXPECT_EQ(*ReceiveBytes(console_client.get(), 8), "23456789");
  EXPECT_TRUE(pty.valid());
  auto busy = Ask(Connect().get(), "console 0");
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().message, "another `uxc console` is attached to the console");

  EXPECT_EQ(*Ask(client.get(), "halt"), "ok");
  serving.join();
  child_ = -1;  // reaped by the loop
  EXPECT_EQ(exit.si_code, CLD_KILLED);
  EXPECT_EQ(exit.si_status, SIGUSR1);
  std::vector<UniqueFd> connections = loop.TakeConnections();
  // The listener and the two clients still connected (the refused one
  // closed before the halt was asked).
  EXPECT_EQ(connections.size(), 3u);
}

}  // namespace
}  // namespace uxc::lifecycle

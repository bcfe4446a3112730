#include "launcher/lifecycle/monitor_loop.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
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

  // A raw connection that sends nothing on its own.
  UniqueFd RawConnect() {
    UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    std::string path = dir_ + "/control";
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    EXPECT_EQ(connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    return fd;
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

// Waits up to `seconds` for the monitor to close `fd`: true on EOF.
bool ClosedWithin(int fd, int seconds) {
  pollfd watched = {fd, POLLIN, 0};
  for (;;) {
    if (poll(&watched, 1, seconds * 1000) <= 0) return false;
    char buffer[4096];
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) return true;
  }
}

// Every wait on the monitor has a deadline: a wedged loop fails the test.
void SetReceiveDeadline(int fd) {
  timeval ten_seconds = {10, 0};
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &ten_seconds, sizeof ten_seconds), 0);
}

// The item-9 attack on the loop: clients that send half a line, nothing at
// all, an endless line, or requests they never read the answers to. Each is
// served or dropped; none makes the loop wait, and a well-behaved client is
// answered meanwhile.
TEST_F(MonitorLoopTest, NoClientCanWedgeTheLoop) {
  handles_.client_timeout_ms = 300;
  MonitorLoop loop(std::move(handles_));
  siginfo_t exit = {};
  std::thread serving([&] { exit = loop.Serve(); });

  UniqueFd half_line = RawConnect();
  ASSERT_EQ(write(half_line.get(), "sta", 3), 3);
  UniqueFd silent = RawConnect();
  UniqueFd endless = RawConnect();
  fcntl(endless.get(), F_SETFL, O_NONBLOCK);
  std::string garbage(64 * 1024, 'x');
  ASSERT_GT(write(endless.get(), garbage.data(), garbage.size()), 0);
  UniqueFd deaf = RawConnect();
  fcntl(deaf.get(), F_SETFL, O_NONBLOCK);
  std::string requests;
  for (int i = 0; i < 20000; ++i) requests += "pid\n";
  ASSERT_GT(write(deaf.get(), requests.data(), requests.size()), 0);
  std::vector<UniqueFd> idle;
  for (int i = 0; i < 40; ++i) idle.push_back(RawConnect());

  UniqueFd client = Connect();
  SetReceiveDeadline(client.get());
  auto state = Ask(client.get(), "state");
  ASSERT_TRUE(state.ok()) << state.error().ToString();
  EXPECT_EQ(*state, "RUNNING");

  // Those that owe the monitor something are dropped at their deadline.
  EXPECT_TRUE(ClosedWithin(half_line.get(), 10));
  EXPECT_TRUE(ClosedWithin(silent.get(), 10));
  EXPECT_TRUE(ClosedWithin(endless.get(), 10));
  EXPECT_TRUE(ClosedWithin(idle.back().get(), 10));

  // The answered client may stay connected, and still be answered.
  auto halted = Ask(client.get(), "halt");
  ASSERT_TRUE(halted.ok()) << halted.error().ToString();
  EXPECT_EQ(*halted, "ok");
  serving.join();
  child_ = -1;
  EXPECT_EQ(exit.si_status, SIGUSR1);
}

TEST_F(MonitorLoopTest, AnEndlessRequestIsCutOff) {
  MonitorLoop loop(std::move(handles_));
  siginfo_t exit = {};
  std::thread serving([&] { exit = loop.Serve(); });
  UniqueFd endless = RawConnect();
  std::string line(ControlClient::kMaxRequest + 1, 'x');
  ASSERT_EQ(write(endless.get(), line.data(), line.size()), ssize_t(line.size()));
  EXPECT_TRUE(ClosedWithin(endless.get(), 10));
  UniqueFd client = Connect();
  SetReceiveDeadline(client.get());
  EXPECT_EQ(*Ask(client.get(), "halt"), "ok");
  serving.join();
  child_ = -1;
}

TEST_F(MonitorLoopTest, PipelinedRequestsAreAnsweredInOrder) {
  MonitorLoop loop(std::move(handles_));
  siginfo_t exit = {};
  std::thread serving([&] { exit = loop.Serve(); });
  UniqueFd client = Connect();
  SetReceiveDeadline(client.get());
  ASSERT_TRUE(SendMessage(client.get(), "state\npid\n").ok());
  EXPECT_EQ(*ReceiveLine(client.get()), "RUNNING");
  EXPECT_EQ(*ReceiveLine(client.get()), std::to_string(child_));
  EXPECT_EQ(*Ask(client.get(), "halt"), "ok");
  serving.join();
  child_ = -1;
}

// `uxc stop` right after `uxc stop -r`: the halt is remembered, so the
// init's end (of the reboot under way, or of the halt) is a stop.
TEST_F(MonitorLoopTest, AHaltAfterARebootMakesTheEndAStop) {
  handles_.reboot_signal = SIGCONT;  // the "init" goes on
  MonitorLoop loop(std::move(handles_));
  siginfo_t exit = {};
  std::thread serving([&] { exit = loop.Serve(); });
  UniqueFd client = Connect();
  SetReceiveDeadline(client.get());
  EXPECT_EQ(*Ask(client.get(), "reboot"), "ok");
  EXPECT_EQ(*Ask(client.get(), "halt"), "ok");
  serving.join();
  child_ = -1;
  EXPECT_TRUE(loop.stop_requested());
}

// The last of halt, stop and reboot asked for counts.
TEST_F(MonitorLoopTest, ARebootAfterAHaltIsAReboot) {
  handles_.halt_signal = SIGCONT;
  handles_.reboot_signal = SIGUSR1;
  MonitorLoop loop(std::move(handles_));
  siginfo_t exit = {};
  std::thread serving([&] { exit = loop.Serve(); });
  UniqueFd client = Connect();
  SetReceiveDeadline(client.get());
  EXPECT_EQ(*Ask(client.get(), "halt"), "ok");
  EXPECT_EQ(*Ask(client.get(), "reboot"), "ok");
  serving.join();
  child_ = -1;
  EXPECT_FALSE(loop.stop_requested());
}

// What `uxc start` reads on its report pipe, within a deadline.
std::string ReadReport(int fd) {
  pollfd readable = {fd, POLLIN, 0};
  if (poll(&readable, 1, 10 * 1000) <= 0) return "(nothing within 10 s)";
  char buffer[64];
  ssize_t n = read(fd, buffer, sizeof buffer);
  return n > 0 ? std::string(buffer, n) : "(EOF)";
}

// The start is reported once the init has run for the settle time; `tail`
// gives the ring without taking the console.
TEST_F(MonitorLoopTest, ReportsARunningInitOnceItSettled) {
  ASSERT_EQ(write(handles_.console_peer.get(), "booting\n", 8), 8);
  int report[2];
  ASSERT_EQ(pipe2(report, O_CLOEXEC), 0);
  UniqueFd read_end(report[0]);
  handles_.report = UniqueFd(report[1]);
  handles_.settle_ms = 100;
  MonitorLoop loop(std::move(handles_));
  siginfo_t exit = {};
  std::thread serving([&] { exit = loop.Serve(); });
  EXPECT_EQ(ReadReport(read_end.get()), kReportRunning);
  UniqueFd client = Connect();
  SetReceiveDeadline(client.get());
  EXPECT_EQ(*Ask(client.get(), "tail"), "ok 8");
  EXPECT_EQ(*ReceiveBytes(client.get(), 8), "ooting\r\n");  // the ring's last 8; the pty adds \r
  EXPECT_EQ(*Ask(client.get(), "halt"), "ok");
  serving.join();
  child_ = -1;
  EXPECT_TRUE(loop.stop_requested());
}

// An init that exits before it settled fails the start.
TEST_F(MonitorLoopTest, ReportsAnInitThatExitsBeforeItSettled) {
  int report[2];
  ASSERT_EQ(pipe2(report, O_CLOEXEC), 0);
  UniqueFd read_end(report[0]);
  handles_.report = UniqueFd(report[1]);
  handles_.settle_ms = 60 * 1000;
  MonitorLoop loop(std::move(handles_));
  siginfo_t exit = {};
  std::thread serving([&] { exit = loop.Serve(); });
  ASSERT_EQ(kill(child_, SIGTERM), 0);
  EXPECT_EQ(ReadReport(read_end.get()), kReportInitExited);
  serving.join();
  child_ = -1;
  EXPECT_EQ(exit.si_status, SIGTERM);
}

}  // namespace
}  // namespace uxc::lifecycle

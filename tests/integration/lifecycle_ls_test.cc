// uxc ls and info for containers that run without a monitor: `uxc execute`
// and `uxc start -F`. They show RUNNING while the launcher runs, STOPPED
// after, and a launcher killed with SIGKILL leaves ls truthful and nothing
// behind.
#include <signal.h>
#include <unistd.h>

#include <thread>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class ForegroundLsTest : public LifecycleTest {
 protected:
  void TearDown() override {
    for (pid_t pid : ProcessesOfUser()) kill(pid, SIGKILL);
    if (launcher_.joinable()) launcher_.join();
    LifecycleTest::TearDown();
  }

  // Runs `uxc COMMAND ARGS...` in a thread; its result lands in result_.
  void Launch(const std::string& command, const std::vector<std::string>& args) {
    launcher_ = std::thread([this, command, args] {
      RunOptions options;
      options.timeout_seconds = 120;
      result_ = Uxc(command, args, options);
    });
  }

  CommandResult Join() {
    launcher_.join();
    return result_;
  }

  // Polls `uxc ls` until NAME shows `state`, for at most `tries` half seconds.
  bool WaitForLsState(const std::string& state, int tries = 60) {
    for (int i = 0; i < tries; ++i) {
      if (LsState(name_) == state) return true;
      usleep(500 * 1000);
    }
    return false;
  }

  std::thread launcher_;
  CommandResult result_;
};

TEST_F(ForegroundLsTest, ExecuteIsRunningWhileItRuns) {
  Launch("execute", {name_, "--", "sleep", "1000"});
  ASSERT_TRUE(WaitForLsState("RUNNING")) << "uxc ls: " << Uxc("ls", {}).out;
  pid_t init = InitPid(name_);
  ASSERT_GT(init, 0);

  auto info = Uxc("info", {name_});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_TRUE(Contains(info.out, "State:          RUNNING\n")) << info.out;
  EXPECT_TRUE(Contains(info.out, "PID:            " + std::to_string(init) + "\n")) << info.out;
  auto json = Uxc("ls", {"--running", "--format", "json"});
  EXPECT_TRUE(Contains(json.out, "{\"name\": \"bb\", \"state\": \"RUNNING\"")) << json.out;
  // attach needs only the init; stop needs a monitor, and says where it runs.
  auto attached = Uxc("attach", {name_, "--", "sh", "-c", "echo $container"});
  EXPECT_EQ(attached.exit_code, 0) << attached.err;
  EXPECT_EQ(attached.out, "lxc\n");
  auto stop = Uxc("stop", {name_});
  EXPECT_EQ(stop.exit_code, 1);
  EXPECT_TRUE(Contains(stop.err, "runs in the foreground of `uxc execute`")) << stop.err;

  // SIGTERM to uxc execute is forwarded to the command, which ends.
  ASSERT_EQ(kill(MonitorPid(name_), SIGTERM), 0);
  CommandResult ended = Join();
  EXPECT_EQ(ended.exit_code, 128 + SIGTERM) << ended.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

TEST_F(ForegroundLsTest, KilledExecuteLeavesLsTruthfulAndTheNextStartWorks) {
  Launch("execute", {name_, "--", "sleep", "1000"});
  ASSERT_TRUE(WaitForLsState("RUNNING"));
  ASSERT_EQ(kill(MonitorPid(name_), SIGKILL), 0);
  CommandResult killed = Join();
  EXPECT_EQ(killed.term_signal, SIGKILL);
  EXPECT_EQ(LsState(name_), "STOPPED");
  auto info = Uxc("info", {name_});
  EXPECT_EQ(info.out, "Name:           bb\nState:          STOPPED\n") << info.err;
  ExpectNothingLeft(name_);

  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(LsState(name_), "RUNNING");
  auto stopped = Uxc("stop", {name_, "-k"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

TEST_F(ForegroundLsTest, StartInTheForegroundIsRunningUntilItsInitHalts) {
  Launch("start", {name_, "-F"});
  ASSERT_TRUE(WaitForLsState("RUNNING")) << "uxc ls: " << Uxc("ls", {}).out;
  pid_t init = InitPid(name_);
  ASSERT_GT(init, 0);
  auto ps = Uxc("attach", {name_, "--", "cat", "/proc/1/comm"});
  EXPECT_EQ(ps.out, "init\n") << ps.err;
  auto info = Uxc("info", {name_, "--format", "json"});
  EXPECT_TRUE(Contains(info.out, "\"pid\": " + std::to_string(init))) << info.out;

  // The busybox template's lxc.signal.halt, sent as uxc stop would.
  ASSERT_EQ(kill(init, SIGUSR1), 0);
  CommandResult ended = Join();
  EXPECT_NE(ended.exit_code, -1) << ended.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

TEST_F(ForegroundLsTest, KilledForegroundStartTakesItsContainerAlong) {
  Launch("start", {name_, "-F"});
  ASSERT_TRUE(WaitForLsState("RUNNING"));
  pid_t init = InitPid(name_);
  ASSERT_EQ(kill(MonitorPid(name_), SIGKILL), 0);
  CommandResult killed = Join();
  EXPECT_EQ(killed.term_signal, SIGKILL);
  // The init dies with its launcher (lxc.monitor.signal.pdeath, SIGKILL).
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
  EXPECT_NE(kill(init, 0), 0);
}

}  // namespace
}  // namespace uxc::testing

// uxc start, ls, info, attach and stop on a busybox system container, as a
// real unprivileged user.
#include <signal.h>

#include <thread>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(LifecycleTest, StartListAttachStop) {
  EXPECT_EQ(LsState(name_), "STOPPED");
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(LsState(name_), "RUNNING");

  auto json = Uxc("ls", {"--running", "--format", "json"});
  std::string running = "{\"name\": \"bb\", \"state\": \"RUNNING\", \"pid\": " + std::to_string(InitPid(name_));
  EXPECT_TRUE(Contains(json.out, running + ", \"autostart\": false")) << json.out;
  auto stopped_only = Uxc("ls", {"--stopped"});
  EXPECT_EQ(stopped_only.out.find("\nbb "), std::string::npos) << stopped_only.out;
  auto text = Uxc("info", {name_});
  EXPECT_TRUE(Contains(text.out, "State:          RUNNING\n")) << text.out;
  EXPECT_TRUE(Contains(text.out, "Processes:")) << text.out;
  auto info = Uxc("info", {name_, "--format", "json"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_TRUE(Contains(info.out, "\"state\": \"RUNNING\"")) << info.out;
  EXPECT_TRUE(Contains(info.out, "\"pid\": " + std::to_string(InitPid(name_)))) << info.out;

  ExpectInitIsPid1(name_);

  auto status = Uxc("attach", {name_, "--", "sh", "-c", "exit 7"});
  EXPECT_EQ(status.exit_code, 7) << status.err;
  auto env = Uxc("attach", {name_, "-v", "GREETING=hi", "--", "sh", "-c", "echo $container $GREETING $HOME"});
  EXPECT_EQ(env.out, "lxc hi /root\n") << env.err;

  auto again = Uxc("start", {name_});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(Contains(again.err, "is already running")) << again.err;

  auto stopped = Uxc("stop", {name_, "-t", "30"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_FALSE(Contains(stopped.err, "killing")) << "busybox init must halt on lxc.signal.halt: " << stopped.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

TEST_F(LifecycleTest, TwoConcurrentStartsExactlyOneWins) {
  CommandResult first, second;
  std::thread one([&] { first = Uxc("start", {name_}); });
  std::thread two([&] { second = Uxc("start", {name_}); });
  one.join();
  two.join();
  EXPECT_EQ((first.exit_code == 0) + (second.exit_code == 0), 1) << first.err << "\n" << second.err;
  EXPECT_EQ(LsState(name_), "RUNNING");
  auto stopped = Uxc("stop", {name_, "-k"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

TEST_F(LifecycleTest, StopKillsAfterTheTimeoutWhenTheHaltSignalIsIgnored) {
  // SIGCONT halts nothing, so stop must fall back to lxc.signal.stop.
  auto started = Uxc("start", {name_, "-s", "lxc.signal.halt=SIGCONT"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  auto stopped = Uxc("stop", {name_, "-t", "1"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_TRUE(Contains(stopped.err, "did not halt within 1 s; killing it")) << stopped.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

TEST_F(LifecycleTest, WaitSeesRunningAndStopped) {
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(Uxc("wait", {name_, "-s", "RUNNING"}).exit_code, 0);
  auto not_yet = Uxc("wait", {name_, "-s", "STOPPED", "-t", "0"});
  EXPECT_EQ(not_yet.exit_code, 1);
  EXPECT_TRUE(Contains(not_yet.err, "still RUNNING")) << not_yet.err;
  ASSERT_EQ(Uxc("stop", {name_}).exit_code, 0);
  EXPECT_EQ(Uxc("wait", {name_, "-s", "STOPPED"}).exit_code, 0);
  ExpectNothingLeft(name_);
}

// As lxc-start: `uxc start NAME -- CMD` runs CMD as the container's init,
// in the foreground and detached.
TEST_F(LifecycleTest, StartRunsTheCommandAfterDashDashAsTheInit) {
  auto foreground = Uxc("start", {"-F", name_, "--", "/bin/sh", "-c", "echo \"init $$ it's me\"; exit 3"});
  EXPECT_EQ(foreground.exit_code, 3) << foreground.err;
  EXPECT_TRUE(Contains(foreground.out, "init 1 it's me")) << foreground.out;

  auto detached = Uxc("start", {name_, "--", "sleep", "1000"});
  ASSERT_EQ(detached.exit_code, 0) << detached.err;
  auto cmdline = Uxc("attach", {name_, "--", "/bin/sh", "-c", "tr '\\0' ' ' < /proc/1/cmdline"});
  EXPECT_EQ(cmdline.out, "sleep 1000 ") << cmdline.err;
  EXPECT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
}

// An init that fails at once fails `uxc start`, with how it ended and what
// it printed; the record stays for `uxc info` and `uxc console --tail`.
TEST_F(LifecycleTest, AnInitThatExitsAtOnceFailsTheStartAndLeavesItsExit) {
  auto started = Uxc("start", {name_, "--", "/bin/sh", "-c", "echo init-says-goodbye; exit 3"});
  EXPECT_EQ(started.exit_code, 1) << started.out << started.err;
  EXPECT_TRUE(Contains(started.err, "its init exited with status 3 after ")) << started.err;
  EXPECT_TRUE(Contains(started.err, "uxc start: | init-says-goodbye\n")) << started.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);

  auto info = Uxc("info", {name_});
  EXPECT_TRUE(Contains(info.out, "Last exit:      exited with status 3 after ")) << info.out << info.err;
  auto json = Uxc("info", {name_, "--format", "json"});
  EXPECT_TRUE(Contains(json.out, "\"last_exit\": {\"exit_code\": 3, \"signal\": null, \"ran_ms\": "))
      << json.out << json.err;
  auto tail = Uxc("console", {name_, "--tail"});
  EXPECT_EQ(tail.exit_code, 0) << tail.err;
  EXPECT_TRUE(Contains(tail.out, "init-says-goodbye")) << tail.out;
}

// A killed init's signal and a foreground run's status are recorded too;
// the console's tail of a running container comes from its monitor.
TEST_F(LifecycleTest, InfoShowsHowTheInitEndedLastTime) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  auto running_tail = Uxc("console", {name_, "--tail"});
  EXPECT_EQ(running_tail.exit_code, 0) << running_tail.err;
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
  auto killed = Uxc("info", {name_, "--format", "json"});
  EXPECT_TRUE(Contains(killed.out, "\"last_exit\": {\"exit_code\": null, \"signal\": \"SIGKILL\"")) << killed.out;

  auto foreground = Uxc("start", {name_, "-F", "--", "/bin/sh", "-c", "echo foreground-bye; exit 4"});
  EXPECT_EQ(foreground.exit_code, 4) << foreground.err;
  EXPECT_TRUE(Contains(foreground.out, "foreground-bye")) << foreground.out;
  auto info = Uxc("info", {name_});
  EXPECT_TRUE(Contains(info.out, "Last exit:      exited with status 4 after ")) << info.out << info.err;
  auto tail = Uxc("console", {name_, "--tail"});
  EXPECT_TRUE(Contains(tail.out, "foreground-bye")) << tail.out;
  ExpectNothingLeft(name_);
}

}  // namespace
}  // namespace uxc::testing

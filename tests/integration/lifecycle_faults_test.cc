// Faults during and after a start, and bad input: each leaves `uxc ls`
// truthful, the next start working, and nothing behind.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class LifecycleFaultsTest : public LifecycleTest {
 protected:
  // A later start works and stops cleanly.
  void StartThenStop() {
    auto started = Uxc("start", {name_});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    auto stopped = Uxc("stop", {name_, "-k"});
    ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  }
};

TEST_F(LifecycleFaultsTest, MonitorKilledTakesTheContainerWithIt) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  pid_t monitor = MonitorPid(name_);
  pid_t init = InitPid(name_);
  ASSERT_GT(monitor, 0);
  ASSERT_EQ(kill(monitor, SIGKILL), 0);
  // kill() returns before the monitor has died and dropped its lock.
  auto waited = Uxc("wait", {name_, "-s", "STOPPED", "-t", "30"});
  EXPECT_EQ(waited.exit_code, 0) << waited.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
  EXPECT_NE(kill(init, 0), 0) << "the init outlived its monitor";
  StartThenStop();
  ExpectNothingLeft(name_);
}

TEST_F(LifecycleFaultsTest, InitKilledEndsTheMonitor) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  ASSERT_EQ(kill(InitPid(name_), SIGKILL), 0);
  auto waited = Uxc("wait", {name_, "-s", "STOPPED", "-t", "30"});
  EXPECT_EQ(waited.exit_code, 0) << waited.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
  StartThenStop();
  ExpectNothingLeft(name_);
}

TEST_F(LifecycleFaultsTest, MonitorDyingAtEachStepOfTheStart) {
  for (const char* step : {"before-start", "after-start", "after-socket"}) {
    RunOptions options;
    options.env["UXC_TEST_ABORT_AT"] = step;
    auto started = Uxc("start", {name_}, options);
    EXPECT_EQ(started.exit_code, 1) << step;
    EXPECT_TRUE(Contains(started.err, "the monitor died while it started the container")) << step << ": "
                                                                                            << started.err;
    EXPECT_EQ(LsState(name_), "STOPPED") << step;
    ExpectNothingLeft(name_);
    StartThenStop();
    ExpectNothingLeft(name_);
  }
}

// The test user's cgroup is not delegated here and this host has no systemd
// (the systemd host's VM test boots one where a cgroup can be had).
TEST_F(LifecycleFaultsTest, SystemdGuestIsRefusedWhereNoDelegatedCgroupCanBeHad) {
  std::string systemd_dir = path_ + "/" + name_ + "/rootfs/lib/systemd";
  ASSERT_EQ(uxc::testing::Run({"mkdir", "-p", systemd_dir}).exit_code, 0);
  ASSERT_EQ(uxc::testing::Run({"cp", path_ + "/" + name_ + "/rootfs/bin/busybox", systemd_dir + "/systemd"}).exit_code, 0);
  auto started = Uxc("start", {name_, "-s", "lxc.init.cmd=/lib/systemd/systemd"});
  EXPECT_EQ(started.exit_code, 1);
  EXPECT_TRUE(Contains(started.err, "is systemd (/lib/systemd/systemd), which needs a delegated cgroup v2 of its "
                                    "own, and this start can get none"))
      << started.err;
  EXPECT_TRUE(Contains(started.err, "pam_uxc.so")) << started.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
  StartThenStop();
  ExpectNothingLeft(name_);
}

TEST_F(LifecycleFaultsTest, MissingContainerIsNamedByEveryCommand) {
  for (const char* command : {"start", "stop", "info", "attach", "console", "wait", "freeze"}) {
    // wait without -s is a usage error (exit 2) before any name is looked up.
    std::vector<std::string> args = {"nosuch"};
    if (std::string(command) == "wait") args = {"nosuch", "-s", "RUNNING"};
    auto result = Uxc(command, args);
    EXPECT_EQ(result.exit_code, 1) << command;
    EXPECT_TRUE(Contains(result.err, "container 'nosuch' does not exist")) << command << ": " << result.err;
  }
  auto stop = Uxc("stop", {name_});
  EXPECT_EQ(stop.exit_code, 1);
  EXPECT_TRUE(Contains(stop.err, "container 'bb' is not running")) << stop.err;
}

TEST_F(LifecycleFaultsTest, CorruptStateFileIsReportedAndStopStillWorks) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  std::string state = RuntimeBase() + "/" + name_ + "/state";
  {
    // Rewritten in place, so it stays the user's.
    int fd = open(state.c_str(), O_WRONLY | O_TRUNC);
    ASSERT_GE(fd, 0);
    std::string corrupt = "uxc-state 1\ninit_pid=banana\n";
    ASSERT_EQ(write(fd, corrupt.data(), corrupt.size()), ssize_t(corrupt.size()));
    close(fd);
    auto info = Uxc("info", {name_});
    EXPECT_EQ(info.exit_code, 1);
    EXPECT_TRUE(Contains(info.err, state + ":2: bad value for init_pid")) << info.err;
    EXPECT_TRUE(Contains(info.err, "corrupt")) << info.err;
    auto stopped = Uxc("stop", {name_, "-k"});
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  }
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

TEST_F(LifecycleFaultsTest, StaleSocketAndStateAreCleanedUp) {
  // What a monitor killed by the OOM killer would leave: files, no process.
  std::string dir = RuntimeBase() + "/" + name_;
  ASSERT_EQ(RunAs(user_, {"mkdir", "-p", user_.home + "/.cache/uxc"}).exit_code, 0);
  ASSERT_EQ(mkdir(RuntimeBase().c_str(), 0700), 0);
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  std::string socket_path = dir + "/control";
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, socket_path.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  close(fd);
  std::string state_path = dir + "/state";
  int state = open(state_path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  ASSERT_GE(state, 0);
  std::string text = "uxc-state 1\nname=bb\ninit_pid=1\nmonitor_pid=1\n";
  ASSERT_EQ(write(state, text.data(), text.size()), ssize_t(text.size()));
  close(state);
  for (const std::string& path : {RuntimeBase(), dir, socket_path, state_path}) {
    ASSERT_EQ(lchown(path.c_str(), user_.uid, user_.gid), 0);
  }
  auto info = Uxc("info", {name_});
  EXPECT_EQ(info.exit_code, 0) << info.err;
  EXPECT_TRUE(Contains(info.out, "STOPPED")) << info.out;
  ExpectNothingLeft(name_);
  StartThenStop();
}

TEST_F(LifecycleFaultsTest, RuntimeDirOfSomeoneElseIsRefused) {
  ASSERT_EQ(RunAs(user_, {"mkdir", "-p", user_.home + "/.cache/uxc"}).exit_code, 0);
  ASSERT_EQ(mkdir(RuntimeBase().c_str(), 0700), 0);  // root's
  auto started = Uxc("start", {name_});
  EXPECT_EQ(started.exit_code, 1);
  EXPECT_TRUE(Contains(started.err, "runtime dir " + RuntimeBase() + " belongs to root (uid 0), not to you"))
      << started.err;
  ASSERT_EQ(chown(RuntimeBase().c_str(), user_.uid, user_.gid), 0);
  ASSERT_EQ(chmod(RuntimeBase().c_str(), 0755), 0);
  started = Uxc("start", {name_});
  EXPECT_EQ(started.exit_code, 1);
  EXPECT_TRUE(Contains(started.err, "chmod 700 " + RuntimeBase())) << started.err;
  ASSERT_EQ(chmod(RuntimeBase().c_str(), 0700), 0);
  StartThenStop();
  ExpectNothingLeft(name_);
}

TEST_F(LifecycleFaultsTest, FreezeNeedsADelegatedCgroup) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  for (const char* command : {"freeze", "unfreeze"}) {
    auto result = Uxc(command, {name_});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_TRUE(Contains(result.err, "has no cgroup of its own")) << result.err;
    EXPECT_TRUE(Contains(result.err, "systemd-run --user --scope -p Delegate=yes uxc start " + name_)) << result.err;
  }
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
}

}  // namespace
}  // namespace uxc::testing

// A rebooting guest restarts in place: `uxc stop --reboot` (lxc.signal.reboot)
// and reboot(2) inside the container (pid_namespaces(7): the init is killed
// by SIGHUP) start it again under the same monitor, with nothing of the old
// one left; poweroff(2) inside (SIGINT) stops it.
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <thread>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class RebootTest : public LifecycleTest {
 protected:
  // The init pid in the state file, 0 while there is none (mid-restart).
  pid_t CurrentInitPid() {
    std::ifstream state(RuntimeBase() + "/" + name_ + "/state");
    for (std::string line; std::getline(state, line);) {
      if (line.starts_with("init_pid=")) return std::stoi(line.substr(9));
    }
    return 0;
  }

  // Waits (at most 60 s: busybox init takes a few seconds to shut down)
  // until a running container's init is no longer `old`; returns the new pid.
  pid_t WaitForNewInit(pid_t old) {
    for (int i = 0; i < 600; ++i) {
      pid_t now = CurrentInitPid();
      if (now != 0 && now != old && LsState(name_) == "RUNNING") return now;
      usleep(100 * 1000);
    }
    return 0;
  }

  static int FdCount(pid_t pid) {
    int count = 0;
    DIR* fds = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (fds == nullptr) return -1;
    while (dirent* entry = readdir(fds)) count += entry->d_name[0] != '.';
    closedir(fds);
    return count;
  }

  // The user's processes as "pid cmdline" lines, zombies left out (the
  // host's init reaps those in its own time).
  std::string Processes() {
    std::string listing;
    for (pid_t pid : ProcessesOfUser()) {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string line;
      std::getline(stat, line);
      size_t paren = line.rfind(')');
      if (paren == std::string::npos || line.substr(paren + 2, 1) == "Z") continue;
      std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
      std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
      for (char& c : text) c = c == '\0' ? ' ' : c;
      listing += std::to_string(pid) + " " + text + "\n";
    }
    return listing;
  }

  // Waits (at most 60 s: a loaded machine is slow) until the inittab's getty runs; returns Processes().
  std::string Booted() {
    for (int i = 0; i < 600 && !Contains(Processes(), "getty"); ++i) usleep(100 * 1000);
    return Processes();
  }

  // What a restart must keep equal: the monitor, its fd count, and the
  // number of processes of the user once booted (monitor, init, the
  // inittab's shell and getty).
  struct Snapshot {
    pid_t monitor = 0;
    pid_t init = 0;
    int monitor_fds = 0;
    std::string processes;
  };

  Snapshot Take() {
    Snapshot snapshot;
    snapshot.monitor = MonitorPid(name_);
    snapshot.init = InitPid(name_);
    snapshot.monitor_fds = FdCount(snapshot.monitor);
    snapshot.processes = Booted();
    return snapshot;
  }

  // Restarted: a new init under the same monitor, the old init gone, the
  // same fds and as many processes as before.
  void ExpectRestarted(const Snapshot& before) {
    pid_t init = WaitForNewInit(before.init);
    ASSERT_NE(init, 0) << "the container did not come back";
    EXPECT_EQ(MonitorPid(name_), before.monitor);
    EXPECT_NE(kill(before.init, 0), 0) << "the old init is still there";
    std::string after = Booted();
    ExpectInitIsPid1(name_);
    auto info = Uxc("info", {name_, "--format", "json"});
    EXPECT_TRUE(Contains(info.out, "\"pid\": " + std::to_string(init))) << info.out;
    EXPECT_EQ(FdCount(before.monitor), before.monitor_fds) << "the monitor's fds changed across the restart";
    EXPECT_EQ(std::count(after.begin(), after.end(), '\n'), std::count(before.processes.begin(), before.processes.end(), '\n'))
        << "before:\n" << before.processes << "after:\n" << after;
  }

  void StopAndExpectNothingLeft() {
    auto stopped = Uxc("stop", {name_, "-t", "30"});
    ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
    EXPECT_EQ(LsState(name_), "STOPPED");
    ExpectNothingLeft(name_);
  }
};

TEST_F(RebootTest, StopRebootRestartsTheContainer) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  ExpectInitIsPid1(name_);
  Snapshot before = Take();
  auto rebooted = Uxc("stop", {name_, "--reboot"});
  ASSERT_EQ(rebooted.exit_code, 0) << rebooted.err;
  ExpectRestarted(before);
  // And again, with -t: uxc stop returns once the new init runs.
  Snapshot second = Take();
  auto waited = Uxc("stop", {name_, "-r", "-t", "60"});
  ASSERT_EQ(waited.exit_code, 0) << waited.err;
  EXPECT_EQ(LsState(name_), "RUNNING");
  EXPECT_NE(CurrentInitPid(), second.init);
  ExpectRestarted(second);
  StopAndExpectNothingLeft();
}

TEST_F(RebootTest, GuestRebootRestartsAndGuestPoweroffStops) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  ExpectInitIsPid1(name_);
  Snapshot before = Take();
  // reboot -f calls reboot(2) at once, without init's shutdown.
  Uxc("attach", {name_, "--", "reboot", "-f"});
  ExpectRestarted(before);
  Uxc("attach", {name_, "--", "poweroff", "-f"});
  auto waited = Uxc("wait", {name_, "-s", "STOPPED", "-t", "30"});
  EXPECT_EQ(waited.exit_code, 0) << waited.err;
  ExpectNothingLeft(name_);
}

TEST_F(RebootTest, StopHooksAndTheLogSeeTheTarget) {
  std::string log = scratch_ + "/hooks.log";
  std::string hook = scratch_ + "/hook.sh";
  {
    std::ofstream script(hook);
    // "net" when the stop hook got the container's network namespace (not
    // the host's) as an argument it can open.
    script << "#!/bin/sh\nns=\nfor a in \"$@\"; do case $a in net:*)\n"
           << "  [ \"$(readlink \"${a#net:}\")\" != \"$(readlink /proc/self/ns/net)\" ] && ns=' net';; esac; done\n"
           << "echo \"$3 $LXC_TARGET$ns\" >> " << log << "\n";
  }
  ASSERT_EQ(chmod(hook.c_str(), 0755), 0);
  ASSERT_EQ(chown(scratch_.c_str(), user_.uid, user_.gid), 0);
  std::string uxc_log = scratch_ + "/uxc.log";
  std::vector<std::string> hooks = {"-s", "lxc.hook.stop=" + hook, "-s", "lxc.hook.post-stop=" + hook,
                                    "-l", "INFO", "-o", uxc_log};
  std::vector<std::string> args = {name_};
  args.insert(args.end(), hooks.begin(), hooks.end());
  ASSERT_EQ(Uxc("start", args).exit_code, 0);
  Snapshot before = Take();
  ASSERT_EQ(Uxc("stop", {name_, "--reboot"}).exit_code, 0);
  ExpectRestarted(before);
  StopAndExpectNothingLeft();
  EXPECT_EQ(ReadFileOrDie(log), "stop reboot net\npost-stop reboot\nstop stop net\npost-stop stop\n");
  std::string logged = ReadFileOrDie(uxc_log);
  size_t rebooted = logged.find(" INFO stop - the init rebooted: the container starts again\n");
  ASSERT_NE(rebooted, std::string::npos) << logged;
  EXPECT_TRUE(Contains(logged.substr(rebooted), " INFO start - the container runs: ")) << "no restart logged: " << logged;
  EXPECT_TRUE(Contains(logged, " INFO stop - the init exited: the container stops\n")) << logged;
}

TEST_F(RebootTest, AMonitorKilledAsItRestartsLeavesNothing) {
  RunOptions options;
  options.env["UXC_TEST_ABORT_AT"] = "restart";
  ASSERT_EQ(Uxc("start", {name_}, options).exit_code, 0);
  ASSERT_EQ(Uxc("stop", {name_, "--reboot"}).exit_code, 0);
  auto waited = Uxc("wait", {name_, "-s", "STOPPED", "-t", "60"});
  EXPECT_EQ(waited.exit_code, 0) << waited.err;
  ExpectNothingLeft(name_);
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  ExpectInitIsPid1(name_);
  StopAndExpectNothingLeft();
}

TEST_F(RebootTest, ARestartThatFailsLeavesTheContainerStopped) {
  std::string uxc_log = scratch_ + "/uxc.log";
  ASSERT_EQ(chown(scratch_.c_str(), user_.uid, user_.gid), 0);
  ASSERT_EQ(Uxc("start", {name_, "-o", uxc_log}).exit_code, 0);
  // The restart reads the config again: an init that is not there fails it.
  {
    std::ofstream config(path_ + "/" + name_ + "/config", std::ios::app);
    config << "lxc.init.cmd = /no/such/init\n";
  }
  ASSERT_EQ(Uxc("stop", {name_, "--reboot"}).exit_code, 0);
  auto waited = Uxc("wait", {name_, "-s", "STOPPED", "-t", "60"});
  EXPECT_EQ(waited.exit_code, 0) << waited.err;
  ExpectNothingLeft(name_);
  std::string logged = ReadFileOrDie(uxc_log);
  EXPECT_TRUE(Contains(logged, " ERROR start - the start failed: ")) << logged;
  EXPECT_TRUE(Contains(logged, "/no/such/init")) << logged;
}

// `uxc stop` right after `uxc stop -r`, while the guest still shuts down
// for the reboot: the stop wins, the container ends stopped (as LXC's).
TEST_F(RebootTest, StopRightAfterStopRebootEndsStopped) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  Booted();
  ASSERT_EQ(Uxc("stop", {name_, "-r"}).exit_code, 0);
  auto stopped = Uxc("stop", {name_, "-t", "30"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  // A restarted container would leave its monitor, init and getty here.
  ExpectNothingLeft(name_);
  auto info = Uxc("info", {name_, "--format", "json"});
  EXPECT_TRUE(Contains(info.out, "\"reboot\": false")) << info.out;
}

// A stop that comes while the monitor already ends the old container for
// the restart (its stop hook still runs) keeps it stopped as well.
TEST_F(RebootTest, StopWhileTheRebootIsUnderWayEndsStopped) {
  std::string in_hook = scratch_ + "/in-hook", go = scratch_ + "/go", hook = scratch_ + "/hook.sh";
  {
    std::ofstream script(hook);
    script << "#!/bin/sh\n[ \"$LXC_TARGET\" = reboot ] || exit 0\ntouch " << in_hook << "\ni=0\n"
           << "while [ ! -e " << go << " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\n";
  }
  ASSERT_EQ(chmod(hook.c_str(), 0755), 0);
  ASSERT_EQ(chown(scratch_.c_str(), user_.uid, user_.gid), 0);
  ASSERT_EQ(Uxc("start", {name_, "-s", "lxc.hook.stop=" + hook}).exit_code, 0);
  ASSERT_EQ(Uxc("stop", {name_, "-r"}).exit_code, 0);
  struct stat st;
  for (int i = 0; i < 600 && stat(in_hook.c_str(), &st) != 0; ++i) usleep(100 * 1000);
  ASSERT_EQ(stat(in_hook.c_str(), &st), 0) << "the stop hook of the reboot never ran";
  CommandResult stopped;
  std::thread stop([&] { stopped = Uxc("stop", {name_, "-t", "30"}); });
  // The stop's request waits on the socket until the hook is done.
  for (int i = 0; i < 50 && !Contains(Processes(), " bb -t 30"); ++i) usleep(100 * 1000);
  std::ofstream(go).close();
  stop.join();
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

}  // namespace
}  // namespace uxc::testing

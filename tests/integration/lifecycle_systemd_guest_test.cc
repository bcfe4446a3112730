// A Debian bookworm guest with systemd as its init (`uxc create -t debian --
// --init systemd`), on this hybrid host, in a cgroup2 node delegated to the
// test user as pam_uxc makes one (the node and a session-1 leaf, both the
// user's, the test's processes in the leaf): it boots to `systemctl
// is-system-running` = running (or degraded, with the failed units named),
// in a cgroup tree of its own, and `uxc stop` halts it with SIGRTMIN+3 with
// no kill after the timeout. The bootstrapped tarball is cached under
// /var/cache/uxc-test/debian, as for the sysvinit guest.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

constexpr char kGuest[] = "sd";

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  ASSERT_TRUE(out.good()) << "write " << path;
}

// Where this host mounts cgroup2 (/sys/fs/cgroup/unified here, hybrid).
std::string Cgroup2Mount() {
  std::istringstream mounts(ReadText("/proc/self/mounts"));
  for (std::string line; std::getline(mounts, line);) {
    std::istringstream fields(line);
    std::string source, target, type;
    fields >> source >> target >> type;
    if (type == "cgroup2") return target;
  }
  return "";
}

std::string OwnCgroup2() {
  std::istringstream lines(ReadText("/proc/self/cgroup"));
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("0::")) return line.substr(3);
  }
  return "";
}

class SystemdGuestTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    if (HasFatalFailure()) return;
    DelegateANode();
    if (HasFatalFailure()) return;
    const std::string cache = "/var/cache/uxc-test/debian";
    ASSERT_EQ(uxc::testing::Run({"mkdir", "-p", cache}).exit_code, 0);
    ASSERT_EQ(uxc::testing::Run({"chown", "-R", user_.name + ":", cache}).exit_code, 0);
    RunOptions slow;
    slow.timeout_seconds = 900;
    auto begin = std::chrono::steady_clock::now();
    auto made = Uxc("create", {kGuest, "-t", "debian", "--", "-r", "bookworm", "--init", "systemd", "--packages",
                               "procps", "--cache-dir", cache},
                    slow);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    std::printf("uxc create -t debian --init systemd: %.1f s (%s)\n",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count(),
                Contains(made.err, "using the cached Debian rootfs") ? "cached" : "bootstrapped");
    console_log_ = path_ + "/" + kGuest + "-console.log";
  }

  void TearDown() override {
    LifecycleTest::TearDown();
    if (!home_.empty()) WriteText(mount_ + home_ + "/cgroup.procs", std::to_string(getpid()));
    if (!node_.empty()) {
      // What a failed test left (the container's own cgroups first).
      uxc::testing::Run({"sh", "-c", "find " + node_ + " -mindepth 1 -depth -type d -exec rmdir {} + 2>/dev/null; rmdir " + node_});
    }
  }

  // As pam_uxc does: a node and its session-1 leaf below the cgroup2 root,
  // the directories and the files /sys/kernel/cgroup/delegate lists the
  // user's; this process moves into the leaf, so that what RunAs starts is
  // born there.
  void DelegateANode() {
    mount_ = Cgroup2Mount();
    ASSERT_FALSE(mount_.empty()) << "no cgroup2 mount on this host";
    home_ = OwnCgroup2();
    node_ = mount_ + "/uxc-test-systemd-guest";
    uxc::testing::Run({"rmdir", node_ + "/session-1", node_});
    std::string delegate = ReadText("/sys/kernel/cgroup/delegate");
    for (const std::string& dir : {node_, node_ + "/session-1"}) {
      ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << dir;
      std::string owner = user_.name + ":";
      ASSERT_EQ(uxc::testing::Run({"chown", owner, dir}).exit_code, 0);
      std::istringstream files(delegate);
      // The list names files of controllers this cgroup may not have.
      struct stat st;
      for (std::string file; files >> file;) {
        if (stat((dir + "/" + file).c_str(), &st) != 0) continue;
        ASSERT_EQ(uxc::testing::Run({"chown", owner, dir + "/" + file}).exit_code, 0) << file;
      }
    }
    WriteText(node_ + "/session-1/cgroup.procs", std::to_string(getpid()));
  }

  std::string ConsoleLog() {
    struct stat st;
    return stat(console_log_.c_str(), &st) == 0 ? ReadFileOrDie(console_log_) : "(no console log)";
  }

  // Polls `systemctl is-system-running` in the guest until it is no longer
  // starting, or `tries` polls passed; returns the last answer.
  std::string WaitForSystemState(int tries) {
    std::string state;
    for (int i = 0; i < tries; ++i) {
      auto answer = Uxc("attach", {kGuest, "--", "systemctl", "is-system-running"});
      state = answer.out.empty() ? answer.err : answer.out;
      if (state == "running\n" || state == "degraded\n") return state;
      if (state != "starting\n" && state != "initializing\n" && i > 20) return state;
      usleep(500 * 1000);
    }
    return state;
  }

  std::string mount_, home_, node_, console_log_;
};

TEST_F(SystemdGuestTest, BootsToRunningInItsOwnCgroupTreeAndHaltsCleanly) {
  auto boot_begin = std::chrono::steady_clock::now();
  auto started = Uxc("start", {kGuest, "-s", "lxc.console.logfile=" + console_log_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string state = WaitForSystemState(240);
  std::printf("uxc start to %s: %.1f s\n", state.substr(0, state.size() - 1).c_str(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - boot_begin).count());
  auto failed = Uxc("attach", {kGuest, "--", "systemctl", "--failed", "--no-legend", "--plain"});
  std::printf("failed units:\n%s", failed.out.c_str());
  EXPECT_EQ(state, "running\n") << "failed units:\n" << failed.out << "console:\n" << ConsoleLog();

  // systemd's own tree: it sits in init.scope of its cgroup namespace's
  // root, which is the container's payload cgroup, not the user's node.
  // (This hybrid host lists its v1 hierarchies before the 0:: line.)
  auto cgroup = Uxc("attach", {kGuest, "--", "cat", "/proc/1/cgroup"});
  EXPECT_TRUE(cgroup.out.ends_with("\n0::/init.scope\n")) << cgroup.out << cgroup.err;
  auto units = Uxc("attach", {kGuest, "--", "ls", "/sys/fs/cgroup/system.slice"});
  EXPECT_TRUE(Contains(units.out, "dbus.service")) << units.out << units.err;

  RunOptions patient;
  patient.timeout_seconds = 120;
  auto halt_begin = std::chrono::steady_clock::now();
  auto stopped = Uxc("stop", {kGuest, "-t", "60", "--nokill"}, patient);
  std::printf("uxc stop (SIGRTMIN+3, systemd's halt): %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - halt_begin).count());
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err << "\nconsole:\n" << ConsoleLog();
  EXPECT_TRUE(Contains(ConsoleLog(), "Reached target") && Contains(ConsoleLog(), "System Halt"))
      << ConsoleLog();
  EXPECT_EQ(LsState(kGuest), "STOPPED");
  ExpectNothingLeft(kGuest);
  auto left = uxc::testing::Run({"find", node_, "-mindepth", "1", "-type", "d", "-not", "-name", "session-1"});
  EXPECT_EQ(left.out, "") << "cgroups left in the node";
}

}  // namespace
}  // namespace uxc::testing

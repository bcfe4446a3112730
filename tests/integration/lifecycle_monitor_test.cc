// The monitor of a running container: the small uxc-monitor binary, under
// 1 MiB resident, holding exactly the fds it needs.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <string>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

constexpr long kMaxMonitorRssKiB = 1024;

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A "Key:   N kB" line of /proc/PID/status, in KiB; -1 when missing.
long StatusKiB(pid_t pid, const std::string& key) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with(key + ":")) return std::stol(line.substr(key.size() + 1));
  }
  return -1;
}

std::string Link(const std::string& path) {
  char target[4096];
  ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
  return n < 0 ? "" : std::string(target, n);
}

std::vector<std::string> FdTargets(pid_t pid) {
  std::vector<std::string> targets;
  std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* fds = opendir(dir.c_str());
  if (fds == nullptr) return targets;
  while (dirent* entry = readdir(fds)) {
    if (entry->d_name[0] == '.') continue;
    targets.push_back(Link(dir + "/" + entry->d_name));
  }
  closedir(fds);
  return targets;
}

TEST_F(LifecycleTest, MonitorIsTheSmallBinaryUnderOneMebibyte) {
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  pid_t monitor = MonitorPid(name_);
  ASSERT_GT(monitor, 0);
  EXPECT_EQ(Link("/proc/" + std::to_string(monitor) + "/exe"), InstalledBinary("uxc-monitor"));
  // Traffic on every path the monitor serves, so its pages are in: ls,
  // info (state, pid), attach, a console that replays the ring buffer.
  EXPECT_EQ(LsState(name_), "RUNNING");
  EXPECT_EQ(Uxc("info", {name_}).exit_code, 0);
  EXPECT_EQ(Uxc("attach", {name_, "--", "sh", "-c", "echo to the console >/dev/console"}).exit_code, 0);
  RunOptions detach;
  detach.stdin_data = "\x01q";
  auto console = Uxc("console", {name_}, detach);
  EXPECT_EQ(console.exit_code, 0) << console.err;
  long rss = StatusKiB(monitor, "VmRSS");
  std::cout << "monitor VmRSS " << rss << " KiB (RssAnon " << StatusKiB(monitor, "RssAnon") << ", RssFile "
            << StatusKiB(monitor, "RssFile") << ")\n";
  RecordProperty("monitor_vmrss_kib", std::to_string(rss));
  bool sanitized = Contains(ReadFileOrDie("/proc/" + std::to_string(monitor) + "/maps"), "libasan");
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
  if (sanitized) {
    GTEST_SKIP() << "uxc-monitor is built with AddressSanitizer (libasan is in its maps): its shadow memory "
                    "and runtime take megabytes, so the bound holds for the normal build only";
  }
  EXPECT_GT(rss, 0);
  EXPECT_LE(rss, kMaxMonitorRssKiB);
}

TEST_F(LifecycleTest, MonitorHoldsOnlyTheFdsItNeeds) {
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  pid_t monitor = MonitorPid(name_);
  int ptmx = 0, pidfds = 0, sockets = 0, locks = 0, null = 0, other = 0;
  std::string listing;
  for (const std::string& target : FdTargets(monitor)) {
    listing += target + "\n";
    if (target == "/dev/pts/ptmx") {
      ++ptmx;
    } else if (target == "anon_inode:[pidfd]") {
      ++pidfds;
    } else if (target.starts_with("socket:")) {
      ++sockets;
    } else if (target == path_ + "/" + name_ + "/lock") {
      ++locks;
    } else if (target == "/dev/null") {
      ++null;
    } else {
      ++other;
    }
  }
  // The busybox template: a console and lxc.tty.max = 5; the console's peer
  // (a /dev/pts/N of the container's devpts) is the one "other".
  EXPECT_EQ(ptmx, 6) << listing;
  EXPECT_EQ(pidfds, 1) << listing;
  EXPECT_EQ(sockets, 1) << listing;
  EXPECT_EQ(locks, 1) << listing;
  EXPECT_EQ(null, 3) << listing;
  EXPECT_EQ(other, 1) << listing;
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
}

TEST_F(LifecycleTest, MonitorDyingBeforeUxcMonitorRunsLeavesNothing) {
  RunOptions options;
  options.env["UXC_TEST_ABORT_AT"] = "after-state";
  auto started = Uxc("start", {name_}, options);
  EXPECT_EQ(started.exit_code, 1);
  EXPECT_TRUE(Contains(started.err, "the monitor died while it started the container")) << started.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
}

TEST_F(LifecycleTest, StartWithoutUxcMonitorBesideUxcSaysWhatIsMissing) {
  // A uxc installed without its monitor: a copy of uxc alone in a directory.
  std::string dir = scratch_ + "/bin";
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  ASSERT_EQ(uxc::testing::Run({"cp", InstalledBinary("uxc"), dir + "/uxc"}).exit_code, 0);
  auto started = RunAs(user_, {dir + "/uxc", "start", "-P", path_, name_});
  EXPECT_EQ(started.exit_code, 1);
  EXPECT_TRUE(Contains(started.err, dir + "/uxc-monitor (the monitor that keeps a started container) is missing "
                                    "beside " + dir + "/uxc, and so is " + scratch_ +
                                    "/libexec/uxc/uxc-monitor: install uxc-monitor with uxc"))
      << started.err;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

// The package's layout: uxc in PREFIX/bin, uxc-monitor in PREFIX/libexec/uxc.
TEST_F(LifecycleTest, UxcMonitorInThePrefixsLibexecDirKeepsTheContainer) {
  std::string bin = scratch_ + "/bin", libexec = scratch_ + "/libexec/uxc";
  ASSERT_EQ(uxc::testing::Run({"install", "-d", "-m", "0755", bin, libexec}).exit_code, 0);
  ASSERT_EQ(uxc::testing::Run({"cp", InstalledBinary("uxc"), bin + "/uxc"}).exit_code, 0);
  ASSERT_EQ(uxc::testing::Run({"cp", InstalledBinary("uxc-monitor"), libexec + "/uxc-monitor"}).exit_code, 0);
  // The id-map helpers sit beside uxc, setuid root, as the package has them.
  for (const char* helper : {"uxc-newuidmap", "uxc-newgidmap", "uxc-newidmap"}) {
    ASSERT_EQ(uxc::testing::Run({"cp", "-p", InstalledBinary(helper), bin + "/" + helper}).exit_code, 0);
  }
  auto started = RunAs(user_, {bin + "/uxc", "start", "-P", path_, name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(LsState(name_), "RUNNING");
  pid_t monitor = MonitorPid(name_);
  EXPECT_EQ(Link("/proc/" + std::to_string(monitor) + "/exe"), libexec + "/uxc-monitor");
  ASSERT_EQ(RunAs(user_, {bin + "/uxc", "stop", "-P", path_, "-k", name_}).exit_code, 0);
  ExpectNothingLeft(name_);
}

}  // namespace
}  // namespace uxc::testing

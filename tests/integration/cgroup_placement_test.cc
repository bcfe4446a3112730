// The container's own cgroup on this hybrid host (issue 12): with a cgroup2
// node delegated to the test user as pam_uxc makes one (the user's node,
// its session leaf holding the login), a container gets uxc.payload.NAME
// and uxc.monitor.NAME, sees itself at / in /proc/self/cgroup, its root owns
// its cgroup and can make sub-cgroups; nothing is left after stop or after
// kill -9 of the monitor. Limits never fail open: one on a controller bound
// to cgroup v1 here, or without any delegation, fails the start with its
// fix, and a misspelt one is a config error.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The cgroup2 mount point, from /proc/self/mountinfo ("" when none).
std::string Cgroup2Mount() {
  std::ifstream mountinfo("/proc/self/mountinfo");
  std::string line;
  while (std::getline(mountinfo, line)) {
    size_t dash = line.find(" - ");
    if (dash == std::string::npos || line.compare(dash + 3, 8, "cgroup2 ") != 0) continue;
    std::istringstream fields(line);
    std::string id, parent, device, root, point;
    fields >> id >> parent >> device >> root >> point;
    return point;
  }
  return "";
}

bool Write(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.flush();
  return static_cast<bool>(out);
}

class CgroupPlacementTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    mount_ = Cgroup2Mount();
    ASSERT_FALSE(mount_.empty()) << "no cgroup2 mount on this host";
    base_ = mount_ + "/uxct-cgroup." + std::to_string(getpid());
    node_ = base_ + "/" + user_.name;
    leaf_ = node_ + "/session-1";
    // As pam_uxc's open_session: the base root's, the node and the session
    // leaf the user's with the files /sys/kernel/cgroup/delegate lists.
    ASSERT_EQ(mkdir(base_.c_str(), 0755), 0);
    for (const std::string& dir : {node_, leaf_}) {
      ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
      ASSERT_EQ(chown(dir.c_str(), user_.uid, user_.gid), 0);
      std::istringstream files(Slurp("/sys/kernel/cgroup/delegate"));
      for (std::string file; std::getline(files, file);) {
        if (Exists(dir + "/" + file)) ASSERT_EQ(chown((dir + "/" + file).c_str(), user_.uid, user_.gid), 0);
      }
    }
  }

  void TearDown() override {
    LifecycleTest::TearDown();
    // Whatever a failed test left, bottom up (the test user's processes are gone).
    Run({"sh", "-c", "find " + base_ + " -depth -type d -exec rmdir {} + 2>/dev/null; true"});
    if (!hugetlb_was_on_.empty()) Write(mount_ + "/cgroup.subtree_control", "-hugetlb");
  }

  // `uxc COMMAND -P PATH ARGS...` as the user, started in the cgroup `dir`
  // (root moves the shell there first, as pam_uxc moves the login).
  CommandResult UxcIn(const std::string& dir, const std::string& command, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"sh", "-c",
                                     "echo $$ > \"$0\"/cgroup.procs && exec setpriv --reuid=" +
                                         std::to_string(user_.uid) + " --regid=" + std::to_string(user_.gid) +
                                         " --init-groups \"$@\"",
                                     dir, InstalledBinary("uxc"), command, "-P", path_};
    argv.insert(argv.end(), args.begin(), args.end());
    RunOptions options;
    options.env = {{"HOME", user_.home}, {"USER", user_.name}, {"LOGNAME", user_.name}};
    options.cwd = user_.home;
    return Run(argv, options);
  }

  void AppendConfig(const std::string& line) {
    std::ofstream config(path_ + "/" + name_ + "/config", std::ios::app);
    config << line << "\n";
  }
  int ConfigLines() {
    std::istringstream text(Slurp(path_ + "/" + name_ + "/config"));
    int lines = 0;
    for (std::string line; std::getline(text, line);) ++lines;
    return lines;
  }

  std::string Payload() const { return node_ + "/uxc.payload." + name_; }
  std::string Monitor() const { return node_ + "/uxc.monitor." + name_; }

  // Nothing of uxc is left in the user's node.
  void ExpectNoCgroupLeft() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while ((Exists(Payload()) || Exists(Monitor())) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_FALSE(Exists(Payload())) << Payload() << " is left";
    EXPECT_FALSE(Exists(Monitor())) << Monitor() << " is left";
  }

  std::string mount_, base_, node_, leaf_, hugetlb_was_on_;
};

TEST_F(CgroupPlacementTest, TheContainerGetsItsPayloadCgroupAndOwnsIt) {
  auto started = UxcIn(leaf_, "start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_FALSE(Contains(started.err, "no cgroup is delegated")) << started.err;
  ASSERT_TRUE(Exists(Payload())) << started.err;
  EXPECT_TRUE(Exists(Monitor()));
  std::string init = std::to_string(InitPid(name_));
  EXPECT_TRUE(Contains(Slurp(Payload() + "/cgroup.procs"), init + "\n")) << Slurp(Payload() + "/cgroup.procs");
  // The container's root (600000 here) owns the payload and its delegatable files.
  struct stat payload;
  ASSERT_EQ(stat(Payload().c_str(), &payload), 0);
  EXPECT_EQ(payload.st_uid, 600000u);
  struct stat procs;
  ASSERT_EQ(stat((Payload() + "/cgroup.procs").c_str(), &procs), 0);
  EXPECT_EQ(procs.st_uid, 600000u);
  // Inside: the init sees itself at / of its cgroup namespace, and root
  // can mount cgroup2 and make a sub-cgroup.
  auto inside = Uxc("attach", {name_, "--", "sh", "-c",
                               "cat /proc/1/cgroup; mkdir -p /tmp/cg && mount -t cgroup2 none /tmp/cg && "
                               "mkdir /tmp/cg/sub && echo made"});
  EXPECT_EQ(inside.exit_code, 0) << inside.err;
  EXPECT_TRUE(Contains(inside.out, "0::/\n")) << inside.out;
  EXPECT_TRUE(Contains(inside.out, "made")) << inside.out << inside.err;
  EXPECT_TRUE(Exists(Payload() + "/sub"));
  auto stopped = Uxc("stop", {name_});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectNoCgroupLeft();
  ExpectNothingLeft(name_);
}

TEST_F(CgroupPlacementTest, KillingTheMonitorLeavesNoCgroupAfterTheNextCommand) {
  auto started = UxcIn(leaf_, "start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  ASSERT_TRUE(Exists(Payload()));
  auto made = Uxc("attach", {name_, "--", "sh", "-c", "mkdir -p /tmp/cg && mount -t cgroup2 none /tmp/cg && mkdir /tmp/cg/sub"});
  EXPECT_EQ(made.exit_code, 0) << made.err;
  pid_t monitor = MonitorPid(name_);
  ASSERT_GT(monitor, 0);
  ASSERT_EQ(kill(monitor, SIGKILL), 0);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (Exists("/proc/" + std::to_string(monitor) + "/exe") && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(Exists(Payload())) << "the payload went with its monitor; nothing to release";
  auto listed = Uxc("ls", {});
  EXPECT_TRUE(Contains(listed.err, "releasing what its start left")) << listed.err;
  ExpectNoCgroupLeft();
  ExpectNothingLeft(name_);
}

TEST_F(CgroupPlacementTest, APidsLimitOnThisHybridHostFailsWithItsFix) {
  ASSERT_TRUE(Contains(Slurp("/proc/self/cgroup"), ":pids:")) << "pids is not on cgroup v1 here";
  AppendConfig("lxc.cgroup2.pids.max = 10");
  std::string line = path_ + "/" + name_ + "/config:" + std::to_string(ConfigLines());
  auto started = UxcIn(leaf_, "start", {name_});
  EXPECT_NE(started.exit_code, 0);
  EXPECT_TRUE(Contains(started.err, line + ": lxc.cgroup2.pids.max = 10: the pids controller is bound to cgroup v1 "
                                           "on this host (a hybrid hierarchy), where it cannot be delegated to you"))
      << started.err;
  EXPECT_TRUE(Contains(started.err, "cgroup_no_v1=all")) << started.err;
  EXPECT_TRUE(Contains(started.err, "remove the line " + line)) << started.err;
  // Nothing was made.
  EXPECT_FALSE(Exists(Payload()));
  EXPECT_FALSE(Exists(Monitor()));
  ExpectNothingLeft(name_);
}

TEST_F(CgroupPlacementTest, WithoutDelegationALimitFailsWithItsFix) {
  AppendConfig("lxc.cgroup2.hugetlb.2MB.max = 0");
  auto started = Uxc("start", {name_});
  EXPECT_NE(started.exit_code, 0);
  EXPECT_TRUE(Contains(started.err, "lxc.cgroup2.hugetlb.2MB.max = 0: this limit needs a cgroup of the container's "
                                    "own, and no cgroup v2 is delegated to you"))
      << started.err;
  EXPECT_TRUE(Contains(started.err, "session optional pam_uxc.so")) << started.err;
  ExpectNothingLeft(name_);
}

TEST_F(CgroupPlacementTest, WithoutDelegationOrLimitsItStartsAndSaysSo) {
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_TRUE(Contains(started.err, "no cgroup is delegated to you: the container has no cgroup of its own"))
      << started.err;
  EXPECT_EQ(Uxc("stop", {name_}).exit_code, 0);
  ExpectNothingLeft(name_);
}

TEST_F(CgroupPlacementTest, AMisspeltLimitIsAConfigError) {
  AppendConfig("lxc.cgroup2.memory.mx = 64M");
  std::string line = path_ + "/" + name_ + "/config:" + std::to_string(ConfigLines());
  auto started = UxcIn(leaf_, "start", {name_});
  EXPECT_NE(started.exit_code, 0);
  EXPECT_TRUE(Contains(started.err, line + ": lxc.cgroup2.memory.mx: unknown key")) << started.err;
  EXPECT_TRUE(Contains(started.err, "did you mean lxc.cgroup2.memory.max?")) << started.err;
  ExpectNothingLeft(name_);
}

// Started in the delegated cgroup itself, as `systemd-run --user --scope
// -p Delegate=yes` starts it: the monitor moves to its leaf before the
// controller a limit needs is enabled, and the limit is in place.
TEST_F(CgroupPlacementTest, FromTheDelegatedCgroupItselfTheMonitorMovesToItsLeaf) {
  std::string root_control = Slurp(mount_ + "/cgroup.subtree_control");
  if (!Contains(root_control, "hugetlb")) {
    ASSERT_TRUE(Contains(Slurp(mount_ + "/cgroup.controllers"), "hugetlb")) << "no hugetlb controller in cgroup2";
    ASSERT_TRUE(Write(mount_ + "/cgroup.subtree_control", "+hugetlb"));
    hugetlb_was_on_ = "no";
  }
  ASSERT_TRUE(Write(base_ + "/cgroup.subtree_control", "+hugetlb"));
  AppendConfig("lxc.cgroup2.hugetlb.2MB.max = 0");
  auto started = UxcIn(node_, "start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_TRUE(Contains(Slurp(node_ + "/cgroup.subtree_control"), "hugetlb"));
  EXPECT_EQ(Slurp(Payload() + "/hugetlb.2MB.max"), "0\n");
  std::string monitor = std::to_string(MonitorPid(name_));
  EXPECT_TRUE(Contains(Slurp(Monitor() + "/cgroup.procs"), monitor + "\n")) << Slurp(Monitor() + "/cgroup.procs");
  EXPECT_EQ(Slurp(node_ + "/cgroup.procs"), "") << "a process left in the delegated cgroup itself";
  auto stopped = Uxc("stop", {name_});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectNoCgroupLeft();
  ExpectNothingLeft(name_);
}

}  // namespace
}  // namespace uxc::testing

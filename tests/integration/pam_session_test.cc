// pam_uxc.so on this host's cgroup2 mount (hybrid here: /sys/fs/cgroup/unified,
// where only hugetlb is a cgroup2 controller), driven by pamtester and by
// pam_session_probe (a login in miniature) through a PAM service file the
// test writes, for real users. Each run sits in a private mount namespace
// whose /dev/log is a socket of the test, so what the module logs is read
// back. Enabling memory for a user waits for the pure cgroup v2 VM (tests/vm/).
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <thread>

#include "kernel/cgroup_layout.h"
#include "tests/lib/host.h"

namespace uxc::testing {
namespace {

constexpr char kService[] = "uxc-test-pam";
constexpr char kServiceFile[] = "/etc/pam.d/uxc-test-pam";
constexpr int kDeadlineSeconds = 60;

bool Exists(const std::string& path) {
  struct stat status;
  return lstat(path.c_str(), &status) == 0;
}

uid_t OwnerOf(const std::string& path) {
  struct stat status;
  return lstat(path.c_str(), &status) == 0 ? status.st_uid : static_cast<uid_t>(-1);
}

// The cgroup2 mount, and the base pam_uxc uses by default: a "uxc.users"
// beside init's cgroup.
struct Hierarchy {
  std::string mount;
  std::string base_path;  // from the cgroup2 root: "/uxc.users"
  std::string base() const { return mount + base_path; }
};

Hierarchy FindHierarchy() {
  kernel::CgroupLayout layout = kernel::ParseCgroupLayout(ReadFileOrEmpty("/proc/self/mountinfo"), ReadFileOrEmpty("/proc/1/cgroup"));
  Hierarchy hierarchy;
  if (!layout.v2_mount || !layout.v2_path) return hierarchy;
  hierarchy.mount = layout.v2_mount->mount_point;
  std::string init = *layout.v2_path;
  std::string parent = init == "/" ? "" : init.substr(0, init.rfind('/'));
  hierarchy.base_path = parent + "/uxc.users";
  return hierarchy;
}

std::string SelfPath() {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  self[n > 0 ? n : 0] = '\0';
  return self;
}

std::string ProbePath() { return SelfPath() + ".runfiles/uxc/tests/integration/pam_session_probe"; }

std::string ModulePath() { return InstalledBinary("../lib/security/pam_uxc.so"); }

// Run() as root; the name is free of gtest's Test::Run.
CommandResult Host(const std::vector<std::string>& argv, const RunOptions& options = {}) {
  return uxc::testing::Run(argv, options);
}

// An ASan build of the module needs the runtime loaded first in pamtester.
std::string AsanRuntimeOf(const std::string& module) {
  std::istringstream lines(Host({"ldd", module}).out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string name, arrow, path;
    if (words >> name >> arrow >> path && name.starts_with("libasan.so") && arrow == "=>") return path;
  }
  return "";
}

// A datagram socket that stands in for syslogd's /dev/log. It lives in a
// directory of its own under /tmp: a socket's path must fit sun_path (108
// bytes), which a test's own directory, named for the test, can outgrow.
class SyslogCapture {
 public:
  SyslogCapture() {
    char dir[] = "/tmp/uxc-syslog.XXXXXX";
    if (mkdtemp(dir) == nullptr) Die("mkdtemp /tmp/uxc-syslog.XXXXXX");
    dir_ = dir;
    path_ = dir_ + "/log";
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.copy(address.sun_path, sizeof address.sun_path - 1);
    if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) Die("bind " + path_);
  }
  ~SyslogCapture() {
    close(fd_);
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }
  const std::string& path() const { return path_; }
  // Every message since the last call, one a line.
  std::string Drain() {
    std::string text;
    char buffer[8192];
    ssize_t got;
    while ((got = recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT)) > 0) text.append(buffer, got).append("\n");
    return text;
  }

 private:
  [[noreturn]] static void Die(const std::string& what) {
    std::perror(what.c_str());
    std::abort();
  }

  std::string dir_;
  std::string path_;
  int fd_ = -1;
};

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

class PamSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(geteuid(), 0u) << "run as root (tests/run does)";
    ASSERT_FALSE(hierarchy_.mount.empty()) << "no cgroup2 mount on this host";
    ASSERT_TRUE(Exists(ModulePath())) << ModulePath() << ": install with tools/install";
    ASSERT_EQ(Host({"sh", "-c", "command -v pamtester"}).exit_code, 0) << "install pamtester (tools/packages)";
    const char* tmp = getenv("TEST_TMPDIR");
    work_ = std::string(tmp ? tmp : "/var/tmp") + "/pam." + std::to_string(getpid()) + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ASSERT_EQ(Host({"mkdir", "-p", "-m", "1777", work_}).exit_code, 0);
    chmod(work_.c_str(), 01777);
    log_.emplace();
    alice_ = EnsureUser("uxct-pam-a");
    bob_ = EnsureUser("uxct-pam-b");
    RemoveNodes();
  }

  void TearDown() override {
    RemoveNodes();
    log_.reset();
    Host({"rm", "-rf", work_});
  }

  // The base the module made stays on a host, for the next login; the tests
  // leave none (rmdir fails while a real user's node is in it).
  static void TearDownTestSuite() { rmdir(FindHierarchy().base().c_str()); }

  // Test users' nodes left by a failed run, deepest first.
  void RemoveNodes() {
    for (const char* name : {"uxct-pam-a", "uxct-pam-b"}) {
      std::string node = hierarchy_.base() + "/" + name;
      if (Exists(node)) Host({"find", node, "-depth", "-type", "d", "-exec", "rmdir", "{}", ";"});
    }
  }

  void WriteService(const std::string& arguments) {
    service_.emplace(kServiceFile, "session optional " + ModulePath() + " " + arguments + "\n");
  }

  // argv in a private mount namespace whose /dev/log is the capture's
  // socket, after the shell lines `mounts`.
  CommandResult RunLogged(const std::vector<std::string>& argv, const std::string& mounts = "",
                          int timeout_seconds = kDeadlineSeconds) {
    std::string script =
        "set -e; mount -t tmpfs -o mode=0755 uxc-test-dev /dev; "
        "mknod -m 666 /dev/null c 1 3; mknod -m 666 /dev/zero c 1 5; mknod -m 666 /dev/urandom c 1 9; "
        "touch /dev/log; mount --bind \"$UXC_LOG\" /dev/log; " +
        mounts + "\nexec \"$@\"";
    std::vector<std::string> command = {"unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh"};
    command.insert(command.end(), argv.begin(), argv.end());
    RunOptions options;
    options.env["UXC_LOG"] = log_->path();
    options.timeout_seconds = timeout_seconds;
    std::string asan = AsanRuntimeOf(ModulePath());
    if (!asan.empty() && argv[0] == "pamtester") options.env["LD_PRELOAD"] = asan;
    options.env["UXC_ASAN"] = asan;  // for pamtester started by a script
    return Host(command, options);
  }

  CommandResult Pamtester(const std::string& user, const std::string& mounts = "") {
    return RunLogged({"pamtester", "-v", kService, user, "open_session", "close_session"}, mounts);
  }

  // A session of `user` that runs `script` (sh) as the user inside it.
  CommandResult Session(const HostUser& user, const std::string& script) {
    return RunLogged({ProbePath(), kService, user.name, "sh", "-c", script});
  }

  std::string Node(const HostUser& user) const { return hierarchy_.base() + "/" + user.name; }
  std::string NodePath(const HostUser& user) const { return hierarchy_.base_path + "/" + user.name; }

  // `script` for a session, run with $n set to the user's node on disk.
  std::string InNode(const std::string& script) const {
    return "set -e; p=$(sed -n 's/^0:://p' /proc/self/cgroup); n=" + hierarchy_.mount + "${p%/*}; " + script;
  }

  // Waits, at most the deadline, for `path` to hold a line.
  std::string AwaitLine(const std::string& path) {
    for (int tenth = 0; tenth < kDeadlineSeconds * 10; ++tenth) {
      std::string text = TrimmedEnd(ReadFileOrEmpty(path));
      if (!text.empty()) return text;
      usleep(100000);
    }
    return "";
  }

  // A script that writes its cgroup to `file`, then waits (at most the
  // deadline) for `go` to appear.
  std::string HoldSession(const std::string& file, const std::string& go) {
    return "sed -n 's/^0:://p' /proc/self/cgroup > " + file + "; i=0; while [ ! -e " + go + " ] && [ $i -lt " +
           std::to_string(kDeadlineSeconds * 10) + " ]; do sleep 0.1; i=$((i+1)); done";
  }

  Hierarchy hierarchy_ = FindHierarchy();
  std::string work_;
  std::optional<SyslogCapture> log_;
  std::optional<ScopedHostFile> service_;
  HostUser alice_;
  HostUser bob_;
};

TEST_F(PamSessionTest, ASessionRunsInALeafOfTheUsersNodeAndTheCloseRemovesBoth) {
  WriteService("debug");
  std::string out = work_ + "/out";
  CommandResult session = Session(
      alice_, "p=$(sed -n 's/^0:://p' /proc/self/cgroup); echo \"$p\" > " + out + "; m=" + hierarchy_.mount +
                  "; stat -c '%U %n' $m$p $m$p/cgroup.procs $m$p/cgroup.subtree_control $m$p/cgroup.threads "
                  "$m$p/cgroup.max.depth $m${p%/*} $m${p%/*}/cgroup.procs $m${p%/*}/cgroup.subtree_control "
                  "$m${p%/*}/cgroup.threads $m${p%/*}/cgroup.max.depth >> " + out);
  EXPECT_EQ(session.exit_code, 0) << session.err;
  std::string text = ReadFileOrEmpty(out);
  std::string leaf_path = text.substr(0, text.find('\n'));
  std::string pid = leaf_path.substr(std::min(leaf_path.size(), NodePath(alice_).size() + 9));
  EXPECT_TRUE(leaf_path.starts_with(NodePath(alice_) + "/session-") && !pid.empty() &&
              pid.find_first_not_of("0123456789") == std::string::npos) << text;
  std::string leaf = hierarchy_.mount + leaf_path;
  for (const std::string& delegated : {leaf, leaf + "/cgroup.procs", leaf + "/cgroup.subtree_control",
                                       leaf + "/cgroup.threads", Node(alice_), Node(alice_) + "/cgroup.procs",
                                       Node(alice_) + "/cgroup.subtree_control", Node(alice_) + "/cgroup.threads"}) {
    EXPECT_NE(text.find("uxct-pam-a " + delegated + "\n"), std::string::npos) << delegated << "\n" << text;
  }
  EXPECT_NE(text.find("root " + leaf + "/cgroup.max.depth\n"), std::string::npos) << text;
  EXPECT_NE(text.find("root " + Node(alice_) + "/cgroup.max.depth\n"), std::string::npos) << text;
  EXPECT_FALSE(Exists(Node(alice_))) << "the last close removes the node";
  EXPECT_NE(log_->Drain().find("of uxct-pam-a is in " + leaf), std::string::npos);
}

TEST_F(PamSessionTest, TwoSessionsShareTheNodeAndTheLastCloseRemovesIt) {
  WriteService("");
  std::string one = work_ + "/one", two = work_ + "/two", go = work_ + "/go";
  CommandResult first;
  std::thread holder([&] { first = Session(alice_, HoldSession(one, go)); });
  std::string first_leaf = AwaitLine(one);
  CommandResult second = Session(alice_, "sed -n 's/^0:://p' /proc/self/cgroup > " + two);
  std::string second_leaf = TrimmedEnd(ReadFileOrEmpty(two));
  bool node_stayed = Exists(Node(alice_)), first_stayed = Exists(hierarchy_.mount + first_leaf);
  bool second_gone = !Exists(hierarchy_.mount + second_leaf);
  Host({"touch", go});
  holder.join();
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first_leaf.substr(0, first_leaf.rfind('/')), NodePath(alice_));
  EXPECT_EQ(second_leaf.substr(0, second_leaf.rfind('/')), NodePath(alice_));
  EXPECT_NE(first_leaf, second_leaf);
  EXPECT_TRUE(node_stayed && first_stayed) << "closing one session leaves the other's leaf and the node";
  EXPECT_TRUE(second_gone) << "closing a session removes its leaf";
  EXPECT_FALSE(Exists(Node(alice_))) << "the last close removes the node";
}

// hugetlb is the one controller of this host's cgroup2; memory is bound to
// cgroup v1 here, so asking for it is logged once and the session goes on.
TEST_F(PamSessionTest, TheUserMakesCgroupsBelowTheNodeWithTheEnabledControllersAndTheyGoWithIt) {
  // The module leaves controllers enabled above the base (other users'
  // nodes share them); the test gives the host back as it found it.
  std::string root_control = hierarchy_.mount + "/cgroup.subtree_control";
  bool hugetlb_was_on = ReadFileOrEmpty(root_control).find("hugetlb") != std::string::npos;
  WriteService("controllers=hugetlb,memory");
  std::string out = work_ + "/out";
  CommandResult session = Session(
      alice_, InNode("mkdir $n/uxc.c1; echo +hugetlb > $n/uxc.c1/cgroup.subtree_control; "
                  "mkdir $n/uxc.c1/payload; echo $$ > $n/uxc.c1/payload/cgroup.procs; "
                  "echo 2097152 > $n/uxc.c1/payload/hugetlb.2MB.max; "
                  "{ sed -n 's/^0:://p' /proc/self/cgroup; cat $n/uxc.c1/payload/hugetlb.2MB.max; } > " + out));
  EXPECT_EQ(session.exit_code, 0) << session.err;
  EXPECT_EQ(ReadFileOrEmpty(out), NodePath(alice_) + "/uxc.c1/payload\n2097152\n");
  std::string log = log_->Drain();
  EXPECT_EQ(Count(log, "the memory controller is not available"), 1u) << log;
  EXPECT_FALSE(Exists(Node(alice_))) << "the uxc.* cgroups, empty, go with the node";
  if (!hugetlb_was_on) {
    Host({"rmdir", hierarchy_.base()});
    Host({"sh", "-c", "echo -hugetlb > " + root_control});
  }
}

TEST_F(PamSessionTest, ANodeWithARunningContainerStaysAndGoesAtTheNextLastClose) {
  WriteService("");
  std::string pid_file = work_ + "/pid";
  CommandResult session = Session(
      alice_, InNode("mkdir $n/uxc.c2; sleep " + std::to_string(kDeadlineSeconds) +
                  " </dev/null >/dev/null 2>&1 & echo $! > $n/uxc.c2/cgroup.procs; echo $! > " + pid_file));
  EXPECT_EQ(session.exit_code, 0) << session.err;
  EXPECT_TRUE(Exists(Node(alice_) + "/uxc.c2")) << "a running container keeps the node";
  Host({"kill", "-9", TrimmedEnd(ReadFileOrEmpty(pid_file))});
  for (int tenth = 0; tenth < kDeadlineSeconds * 10; ++tenth) {
    if (ReadFileOrEmpty(Node(alice_) + "/cgroup.events").find("populated 0") != std::string::npos) break;
    usleep(100000);
  }
  CommandResult next = Pamtester(alice_.name);
  EXPECT_EQ(next.exit_code, 0) << next.err;
  EXPECT_FALSE(Exists(Node(alice_))) << "the next last close removes the ended container's cgroup and the node";
}

// The logout/login race: one session's close finds the node idle and
// removes it while another session of the user is half open (its node made
// or found, its leaf not yet holding its process). pamtester opens and
// closes sessions in parallel loops; a pam_exec line after the module
// records, in each open session, the cgroup that session's process is in.
TEST_F(PamSessionTest, ParallelLoginsAndLogoutsOfOneUserEachLandInTheirOwnLeaf) {
  constexpr int kLoops = 3, kSessions = 80;
  std::string cgroups = work_ + "/cgroups", hook = work_ + "/hook";
  std::ofstream(hook) << "[ \"$PAM_TYPE\" = open_session ] && sed -n 's/^0:://p' /proc/self/cgroup >> " + cgroups +
                             "\nexit 0\n";
  // controllers= (none): this hybrid host's cgroup2 has no controller
  // worth the lines that say so at each login.
  service_.emplace(kServiceFile, "session optional " + ModulePath() +
                                     " controllers=\nsession optional pam_exec.so /bin/sh " + hook + "\n");
  std::string loop = "for i in $(seq " + std::to_string(kSessions) + "); do ${UXC_ASAN:+env LD_PRELOAD=$UXC_ASAN} " +
                     "pamtester " + kService + " " + alice_.name + " open_session close_session >/dev/null 2>&1 " +
                     "|| echo \"pamtester failed: $?\"; done";
  // The log socket's queue holds few messages (net.unix.max_dgram_qlen),
  // and a full one blocks the logging login: drained while the loops run.
  std::atomic<bool> ran = false;
  std::string log;
  std::thread drain([&] {
    while (!ran) {
      log += log_->Drain();
      usleep(10000);
    }
  });
  CommandResult run = RunLogged(
      {"sh", "-c", "for j in $(seq " + std::to_string(kLoops) + "); do (" + loop + ") & done; wait"}, "",
      kLoops * kSessions * 5);
  ran = true;
  drain.join();
  log += log_->Drain();
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "") << "every pamtester ends well";
  std::istringstream lines(ReadFileOrEmpty(cgroups));
  int in_leaf = 0, elsewhere = 0;
  std::string elsewhere_example;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(NodePath(alice_) + "/session-")) {
      ++in_leaf;
    } else if (elsewhere++ == 0) {
      elsewhere_example = line;
    }
  }
  EXPECT_EQ(in_leaf, kLoops * kSessions) << elsewhere << " sessions outside a leaf, e.g. " << elsewhere_example;
  EXPECT_EQ(Count(log, alice_.name + "'s cgroup:"), 0u) << "no open or close failed:\n" << log.substr(0, 4000);
  EXPECT_FALSE(Exists(Node(alice_))) << "the last close removes the node";
}

// The lock must never cost a login: one that is not root's alone is not
// used, and one held too long is waited for 10 s, then done without.
// (A private /run: the host's lock stays as it is.)
TEST_F(PamSessionTest, ALockFileNotRootsOrHeldTooLongNeverBlocksALogin) {
  WriteService("controllers=");
  std::string run = "mount -t tmpfs -o mode=0755 uxc-test-run /run; mkdir -m 0755 /run/uxc; ";
  CommandResult foreign = Pamtester(alice_.name, run + "touch /run/uxc/pam.lock; chown " + std::to_string(alice_.uid) +
                                                     " /run/uxc/pam.lock");
  EXPECT_EQ(foreign.exit_code, 0) << foreign.err;
  std::string log = log_->Drain();
  EXPECT_NE(log.find("/run/uxc/pam.lock is owned by uid " + std::to_string(alice_.uid) +
                     " or writable by others: it must be root's alone"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("going on without the lock"), std::string::npos) << log;
  EXPECT_EQ(Count(log, "'s cgroup:"), 0u) << "the session got its cgroup\n" << log;

  CommandResult held = Pamtester(alice_.name, run + "flock /run/uxc/pam.lock sleep 30 >/dev/null 2>&1 & i=0; "
                                                    "while [ ! -e /run/uxc/pam.lock ] && [ $i -lt 100 ]; do "
                                                    "sleep 0.1; i=$((i+1)); done; sleep 0.5");
  EXPECT_EQ(held.exit_code, 0) << held.err;
  log = log_->Drain();
  EXPECT_NE(log.find("another login held /run/uxc/pam.lock for over 10 s; going on without the lock"),
            std::string::npos)
      << log;
  EXPECT_EQ(Count(log, "'s cgroup:"), 0u) << "the session got its cgroup\n" << log;
  EXPECT_FALSE(Exists(Node(alice_))) << "the close removed the node";
}

TEST_F(PamSessionTest, AUserCannotTouchAnotherUsersNode) {
  WriteService("");
  std::string leaf_file = work_ + "/leaf", go = work_ + "/go";
  CommandResult first;
  std::thread holder([&] { first = Session(alice_, HoldSession(leaf_file, go)); });
  std::string leaf = hierarchy_.mount + AwaitLine(leaf_file);
  std::string node = Node(alice_);
  CommandResult intruder = RunAs(
      bob_, {"sh", "-c",
             "for try in 'mkdir " + node + "/uxc.x' 'echo $$ > " + node + "/cgroup.procs' 'echo $$ > " + leaf +
                 "/cgroup.procs' 'echo +hugetlb > " + node + "/cgroup.subtree_control' 'rmdir " + leaf +
                 "'; do if sh -c \"$try\" 2>/dev/null; then echo \"allowed: $try\"; else echo denied; fi; done"});
  bool leaf_intact = Exists(leaf) && OwnerOf(leaf) == alice_.uid;
  Host({"touch", go});
  holder.join();
  EXPECT_EQ(intruder.out, "denied\ndenied\ndenied\ndenied\ndenied\n");
  EXPECT_TRUE(leaf_intact);
  EXPECT_EQ(first.exit_code, 0) << first.err;
}

TEST_F(PamSessionTest, HostileUserNamesAreRefusedLoggedAndTheLoginGoesOn) {
  WriteService("");
  const std::string dotdot = "../uxct-pam-x";
  ASSERT_EQ(Host({"sh", "-c", "getent passwd '" + dotdot + "' >/dev/null || useradd --badname -M -s /usr/sbin/nologin '" +
                                 dotdot + "'"}).exit_code, 0);
  std::vector<std::string> names = {dotdot, "uxct-pam\nx", std::string(300, 'u'), "memory.max"};
  for (const std::string& name : names) {
    CommandResult login = Pamtester(name);
    EXPECT_EQ(login.exit_code, 0) << login.err;
    std::string log = log_->Drain();
    EXPECT_NE(log.find("refusing the user name"), std::string::npos) << log;
    EXPECT_EQ(log.find("uxct-pam\nx"), std::string::npos) << "a newline reaches the log quoted, not raw";
  }
  Host({"userdel", dotdot});
  EXPECT_FALSE(Exists(hierarchy_.base() + "/../uxct-pam-x"));
  EXPECT_FALSE(Exists(hierarchy_.base() + "/memory.max"));
}

TEST_F(PamSessionTest, ANodeOwnedBySomeoneElseIsRefusedAndFailsOnlyARequiredSession) {
  WriteService("");
  ASSERT_EQ(Host({"mkdir", "-p", Node(alice_)}).exit_code, 0);
  ASSERT_EQ(chown(Node(alice_).c_str(), bob_.uid, bob_.gid), 0);
  CommandResult login = Pamtester(alice_.name);
  EXPECT_EQ(login.exit_code, 0) << login.err;
  std::string log = log_->Drain();
  EXPECT_NE(log.find(Node(alice_) + " exists and is owned by uid " + std::to_string(bob_.uid)), std::string::npos) << log;
  EXPECT_EQ(OwnerOf(Node(alice_)), bob_.uid);
  EXPECT_EQ(Host({"sh", "-c", "ls -d " + Node(alice_) + "/session-*"}).exit_code, 2) << "no leaf made in it";

  WriteService("required");
  CommandResult required = Pamtester(alice_.name);
  EXPECT_NE(required.exit_code, 0) << "`required` makes a refusal fail the session";
  EXPECT_EQ(OwnerOf(Node(alice_)), bob_.uid);
}

// Nobody but root can mount, and cgroupfs holds no symlinks: these stand for
// a host where something else sits on the base or the node.
TEST_F(PamSessionTest, ASymlinkOrAMountWhereTheNodeGoesIsRefused) {
  WriteService("");
  std::string victim = work_ + "/victim";
  ASSERT_EQ(Host({"sh", "-c", "mkdir -p " + hierarchy_.base() + " && mkdir " + victim + " && touch " + victim +
                                 "/file && mkdir " + work_ + "/decoy && ln -s " + victim + "/file " + work_ +
                                 "/decoy/cgroup.procs && chown -h " + alice_.name + " " + work_ + "/decoy " + work_ +
                                 "/decoy/cgroup.procs"}).exit_code, 0);
  CommandResult symlink = Pamtester(alice_.name, "mount -t tmpfs uxc-test " + hierarchy_.base() + "; ln -s " + victim + " " + Node(alice_));
  EXPECT_EQ(symlink.exit_code, 0) << symlink.err;
  std::string log = log_->Drain();
  EXPECT_NE(log.find("something is mounted on it"), std::string::npos) << log;

  ASSERT_EQ(Host({"mkdir", Node(alice_)}).exit_code, 0);
  CommandResult mounted = Pamtester(alice_.name, "mount --bind " + work_ + "/decoy " + Node(alice_));
  EXPECT_EQ(mounted.exit_code, 0) << mounted.err;
  log = log_->Drain();
  EXPECT_NE(log.find(Node(alice_) + " (something is mounted on it)"), std::string::npos) << log;
  EXPECT_EQ(OwnerOf(victim), 0u);
  EXPECT_EQ(OwnerOf(victim + "/file"), 0u);
}

TEST_F(PamSessionTest, UnderSystemdTheModuleDoesNothing) {
  WriteService("debug");
  CommandResult login = Pamtester(alice_.name, "mount -t tmpfs uxc-test /run; mkdir -p /run/systemd/system");
  EXPECT_EQ(login.exit_code, 0) << login.err;
  EXPECT_NE(log_->Drain().find("systemd runs this host"), std::string::npos);
  EXPECT_FALSE(Exists(Node(alice_)));
}

TEST_F(PamSessionTest, BadArgumentsAreNamedInTheLogAndTheLoginGoesOn) {
  WriteService("controllers=memory,../x base=uxc.users");
  CommandResult login = Pamtester(alice_.name);
  EXPECT_EQ(login.exit_code, 0) << login.err;
  std::string log = log_->Drain();
  EXPECT_NE(log.find("argument \"controllers=memory,../x\""), std::string::npos) << log;
  EXPECT_NE(log.find("argument \"base=uxc.users\""), std::string::npos) << log;
  EXPECT_FALSE(Exists(Node(alice_)));
  WriteService("required bogus");
  EXPECT_NE(Pamtester(alice_.name).exit_code, 0);
}

// uxc checkconfig's fix line comes true: in a pam_uxc session, uxc finds
// the user's node as its delegation point, with no flag.
TEST_F(PamSessionTest, InASessionUxcFindsTheNodeAsItsDelegationPoint) {
  WriteService("");
  std::string out = work_ + "/out";
  CommandResult session = Session(alice_, InstalledBinary("uxc") + " checkconfig > " + out + " 2>&1 || true");
  EXPECT_EQ(session.exit_code, 0) << session.err;
  std::string report = ReadFileOrEmpty(out);
  EXPECT_NE(report.find(Node(alice_) + " is yours"), std::string::npos) << report;
}

}  // namespace
}  // namespace uxc::testing

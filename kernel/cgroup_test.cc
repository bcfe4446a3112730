// Against the real cgroup2 mount of this machine, as root: each test makes
// its own child of the caller's cgroup ("uxc-kernel-test.PID"), touches
// nothing else, and removes it at the end, also after a failure. Where a
// controller is absent here (on a hybrid host the v1 hierarchies hold them),
// the test checks the error that says so.
#include "kernel/cgroup.h"

#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <gtest/gtest.h>
#include <optional>

namespace uxc::kernel {
namespace {

constexpr int kDeadlineMs = 10000;

bool Contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

// A process started straight into a cgroup (clone3 CLONE_INTO_CGROUP),
// named by its pidfd; it sleeps until killed.
struct Sleeper {
  pid_t pid = -1;
  UniqueFd pidfd;
};

Result<Sleeper> StartSleeperIn(const Cgroup& cgroup) {
  int pidfd = -1;
  clone_args args{};
  args.flags = CLONE_INTO_CGROUP | CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  args.cgroup = static_cast<uint64_t>(cgroup.fd());
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) return ErrnoError("clone3 into " + cgroup.path());
  if (pid == 0) {
    while (true) pause();
  }
  return Sleeper{static_cast<pid_t>(pid), UniqueFd(pidfd)};
}

// Whether the process ended within the deadline (its pidfd turns readable),
// reaped if so.
bool Ended(Sleeper& sleeper) {
  pollfd watch = {sleeper.pidfd.get(), POLLIN, 0};
  if (poll(&watch, 1, kDeadlineMs) != 1) return false;
  return waitpid(sleeper.pid, nullptr, 0) == sleeper.pid;
}

// The ShdPnd mask of /proc/PID/status.
uint64_t SharedPendingSignals(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("ShdPnd:")) return std::stoull(line.substr(7), nullptr, 16);
  }
  return 0;
}

class CgroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(geteuid(), 0u) << "these tests make cgroups on the host: run them as root (tests/run does)";
    auto point = FindDelegationPoint();
    ASSERT_TRUE(point.ok()) << point.error().ToString();
    ASSERT_TRUE(point->writable) << point->cgroup.path();
    parent_.emplace(std::move(point->cgroup));
    auto child = parent_->CreateChild(name_);
    ASSERT_TRUE(child.ok()) << child.error().ToString();
    cgroup_.emplace(std::move(*child));
  }

  void TearDown() override {
    if (!cgroup_) return;
    auto events = cgroup_->ReadEvents();
    if (events.ok() && events->populated) {
      EXPECT_TRUE(cgroup_->Kill().ok());
      EXPECT_TRUE(cgroup_->WaitUntilEmpty(kDeadlineMs).ok());
    }
    for (pid_t pid : started_) waitpid(pid, nullptr, WNOHANG);
    for (const std::string& grandchild : grandchildren_) (void)cgroup_->RemoveChild(grandchild);
    Status removed = parent_->RemoveChild(name_);
    EXPECT_TRUE(removed.ok()) << removed.error().ToString();
  }

  Sleeper Start(const Cgroup& cgroup) {
    auto sleeper = StartSleeperIn(cgroup);
    EXPECT_TRUE(sleeper.ok()) << sleeper.error().ToString();
    if (!sleeper.ok()) return {};
    started_.push_back(sleeper->pid);
    return std::move(*sleeper);
  }

  std::string name_ = "uxc-kernel-test." + std::to_string(getpid());
  std::optional<Cgroup> parent_;
  std::optional<Cgroup> cgroup_;
  std::vector<std::string> grandchildren_;
  std::vector<pid_t> started_;
};

TEST_F(CgroupTest, TheDelegationPointIsTheCallersOwnCgroupOnTheCgroup2Mount) {
  std::ifstream self("/proc/self/cgroup");
  std::string line, own;
  while (std::getline(self, line)) {
    if (line.starts_with("0::")) own = line.substr(3);
  }
  ASSERT_FALSE(own.empty());
  std::string suffix = own == "/" ? "" : own;
  EXPECT_TRUE(parent_->path().ends_with(suffix)) << parent_->path() << " for " << own;
  struct stat by_fd, by_path;
  ASSERT_EQ(fstat(parent_->fd(), &by_fd), 0);
  ASSERT_EQ(stat(parent_->path().c_str(), &by_path), 0);
  EXPECT_EQ(by_fd.st_ino, by_path.st_ino);
  EXPECT_EQ(cgroup_->path(), parent_->path() + "/" + name_);
}

// The real uid decides: a process that is not root may not write the
// cgroup root owns.
TEST_F(CgroupTest, AnotherUserSeesTheDelegationPointAsNotWritable) {
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(2);
    auto point = FindDelegationPoint();
    _exit(!point.ok() ? 3 : point->writable ? 4 : 0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
}

TEST_F(CgroupTest, ChildNamesMustBeOneComponent) {
  for (const char* bad : {"", ".", "..", "../escape", "a/b"}) {
    auto child = cgroup_->CreateChild(bad);
    ASSERT_FALSE(child.ok()) << bad;
    EXPECT_NE(child.error().message.find("is not a single file name"), std::string::npos);
  }
}

TEST_F(CgroupTest, CreatesOpensAndRemovesAChild) {
  auto created = cgroup_->CreateChild("payload");
  ASSERT_TRUE(created.ok()) << created.error().ToString();
  grandchildren_.push_back("payload");
  auto again = cgroup_->CreateChild("payload");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().errno_value, EEXIST);
  auto opened = cgroup_->OpenChild("payload");
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(opened->path(), cgroup_->path() + "/payload");
  Status removed = cgroup_->RemoveChild("payload");
  EXPECT_TRUE(removed.ok()) << removed.error().ToString();
  EXPECT_EQ(cgroup_->OpenChild("payload").error().errno_value, ENOENT);
}

TEST_F(CgroupTest, ACgroupWithAProcessCannotBeRemoved) {
  Sleeper sleeper = Start(*cgroup_);
  Status removed = parent_->RemoveChild(name_);
  ASSERT_FALSE(removed.ok());
  EXPECT_EQ(removed.error().errno_value, EBUSY);
  EXPECT_NE(removed.error().message.find("still has processes"), std::string::npos);
}

TEST_F(CgroupTest, ProcessesListsTheProcessesOfTheCgroupItselfOnly) {
  Sleeper sleeper = Start(*cgroup_);
  auto nested = cgroup_->CreateChild("nested");
  ASSERT_TRUE(nested.ok());
  grandchildren_.push_back("nested");
  Sleeper below = Start(*nested);
  auto pids = cgroup_->Processes();
  ASSERT_TRUE(pids.ok()) << pids.error().ToString();
  EXPECT_EQ(*pids, std::vector<pid_t>{sleeper.pid});
  EXPECT_EQ(*nested->Processes(), std::vector<pid_t>{below.pid});
}

TEST_F(CgroupTest, OpenRefusesADirectoryThatIsNotACgroup) {
  auto opened = Cgroup::Open("/tmp");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().message, "/tmp is not on a cgroup2 file system");
}

// Enabling what the parent offers works; what it does not offer is a clear
// error, before the kernel's bare ENOENT.
TEST_F(CgroupTest, EnablesAvailableControllersAndNamesMissingOnes) {
  auto available = cgroup_->Controllers();
  ASSERT_TRUE(available.ok()) << available.error().ToString();
  if (!available->empty()) {
    Status enabled = cgroup_->EnableControllers({available->front()});
    ASSERT_TRUE(enabled.ok()) << enabled.error().ToString();
    EXPECT_TRUE(Contains(*cgroup_->EnabledForChildren(), available->front()));
  }
  for (const std::string name : {"memory", "pids", "no-such-controller"}) {
    if (Contains(*available, name)) continue;
    Status enabled = cgroup_->EnableControllers({name});
    ASSERT_FALSE(enabled.ok()) << name;
    EXPECT_NE(enabled.error().message.find("enable the " + name + " controller in " + cgroup_->path() +
                                           ": it is not available there"),
              std::string::npos)
        << enabled.error().message;
  }
  EXPECT_TRUE(cgroup_->EnableControllers({}).ok());
}

TEST_F(CgroupTest, ALimitWithoutItsControllerSaysSo) {
  auto offered = parent_->EnabledForChildren();
  ASSERT_TRUE(offered.ok());
  if (Contains(*offered, "pids")) {
    EXPECT_TRUE(cgroup_->WriteLimit("pids.max", "64").ok());
  } else {
    Status written = cgroup_->WriteLimit("pids.max", "64");
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().message, "set pids.max of " + cgroup_->path() +
                                           ": there is no such file, so the pids controller is not enabled for "
                                           "this cgroup; the parent must enable it in its cgroup.subtree_control");
  }
  for (const char* bad : {"cgroup.procs", "max", "../pids.max", ".max"}) {
    EXPECT_FALSE(cgroup_->WriteLimit(bad, "1").ok()) << bad;
  }
}

TEST_F(CgroupTest, StatsCountTheCpuOfItsProcesses) {
  Sleeper sleeper = Start(*cgroup_);
  auto stats = cgroup_->ReadStats();
  ASSERT_TRUE(stats.ok()) << stats.error().ToString();
  EXPECT_GE(stats->cpu_usage_usec, stats->cpu_user_usec);
  auto offered = parent_->EnabledForChildren();
  ASSERT_TRUE(offered.ok());
  EXPECT_EQ(stats->memory_current.has_value(), Contains(*offered, "memory"));
  EXPECT_EQ(stats->pids_current.has_value(), Contains(*offered, "pids"));
  // A figure whose controller is not enabled is absent, never 0.
  EXPECT_EQ(stats->io_read_bytes.has_value(), Contains(*offered, "io"));
  EXPECT_EQ(stats->io_written_bytes.has_value(), Contains(*offered, "io"));
  EXPECT_EQ(stats->cpu_throttled_usec.has_value(), Contains(*offered, "cpu"));
  if (!Contains(*offered, "memory")) {
    EXPECT_FALSE(stats->memory_peak.has_value());
  }
  if (stats->memory_peak) {
    EXPECT_GE(*stats->memory_peak, *stats->memory_current);
  }
  if (stats->pids_current) {
    EXPECT_EQ(*stats->pids_current, 1u);
  }
}

TEST_F(CgroupTest, KillEndsEveryProcessAndTheCgroupEmpties) {
  Sleeper first = Start(*cgroup_);
  auto nested = cgroup_->CreateChild("nested");
  ASSERT_TRUE(nested.ok());
  grandchildren_.push_back("nested");
  Sleeper second = Start(*nested);
  auto events = cgroup_->ReadEvents();
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->populated);
  Status killed = cgroup_->Kill();
  ASSERT_TRUE(killed.ok()) << killed.error().ToString();
  EXPECT_TRUE(Ended(first));
  EXPECT_TRUE(Ended(second));
  Status empty = cgroup_->WaitUntilEmpty(kDeadlineMs);
  EXPECT_TRUE(empty.ok()) << empty.error().ToString();
  EXPECT_FALSE(cgroup_->ReadEvents()->populated);
}

TEST_F(CgroupTest, FreezeWaitsUntilFrozenAndThawResumes) {
  Sleeper sleeper = Start(*cgroup_);
  Status frozen = cgroup_->Freeze(kDeadlineMs);
  ASSERT_TRUE(frozen.ok()) << frozen.error().ToString();
  EXPECT_TRUE(cgroup_->ReadEvents()->frozen);
  // A frozen process does not run: an ordinary signal stays pending
  // (signal.c do_freezer_trap), and SIGUSR1's default action would end it.
  ASSERT_EQ(kill(sleeper.pid, SIGUSR1), 0);
  EXPECT_TRUE(SharedPendingSignals(sleeper.pid) & (1ull << (SIGUSR1 - 1)));
  Status thawed = cgroup_->Thaw(kDeadlineMs);
  ASSERT_TRUE(thawed.ok()) << thawed.error().ToString();
  EXPECT_FALSE(cgroup_->ReadEvents()->frozen);
  EXPECT_TRUE(Ended(sleeper)) << "the pending SIGUSR1 ends it once thawed";
}

TEST_F(CgroupTest, WaitingTimesOutWithAMessage) {
  Sleeper sleeper = Start(*cgroup_);
  Status empty = cgroup_->WaitUntilEmpty(50);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, cgroup_->path() + " was not empty after 50 ms");
}

TEST_F(CgroupTest, ListsItsChildCgroupsAndHandsAChildOverWithItsDelegatedFiles) {
  auto child = cgroup_->CreateChild("handed");
  ASSERT_TRUE(child.ok()) << child.error().ToString();
  grandchildren_.push_back("handed");
  auto children = cgroup_->Children();
  ASSERT_TRUE(children.ok()) << children.error().ToString();
  EXPECT_EQ(*children, std::vector<std::string>{"handed"});

  std::vector<std::string> files = DelegatableFiles();
  EXPECT_TRUE(Contains(files, "cgroup.procs") && Contains(files, "cgroup.subtree_control")) << files.size();
  files.push_back("no.such.file");
  Status handed = child->HandOver(65534, 65534, files);
  ASSERT_TRUE(handed.ok()) << handed.error().ToString();
  auto status = child->Stat();
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->st_uid, 65534u);
  struct stat file;
  ASSERT_EQ(fstatat(child->fd(), "cgroup.procs", &file, 0), 0);
  EXPECT_EQ(file.st_uid, 65534u);
  ASSERT_EQ(fstatat(child->fd(), "cgroup.max.depth", &file, 0), 0);
  EXPECT_EQ(file.st_uid, 0u) << "a file that is not delegated stays root's";
  EXPECT_FALSE(child->HandOver(65534, 65534, {"../cgroup.procs"}).ok());
}

TEST_F(CgroupTest, OpenChildRefusesWhatIsNotACgroupDirectory) {
  EXPECT_EQ(cgroup_->OpenChild("cgroup.procs").error().errno_value, ENOTDIR);
  EXPECT_EQ(cgroup_->OpenChild("absent").error().errno_value, ENOENT);
  EXPECT_FALSE(cgroup_->OpenChild("..").ok());
}

}  // namespace
}  // namespace uxc::kernel

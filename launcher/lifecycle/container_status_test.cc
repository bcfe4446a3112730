#include "launcher/lifecycle/container_status.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <optional>

#include "gtest/gtest.h"
#include "launcher/lifecycle/acquired_record.h"
#include "launcher/lifecycle/container_lock.h"

namespace uxc::lifecycle {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// A container directory with a config, and a private runtime base through
// XDG_RUNTIME_DIR, both under a fresh temporary directory.
class ContainerStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/uxc-status-test.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    root_ = dir;
    ASSERT_EQ(mkdir((root_ + "/run").c_str(), 0700), 0);
    ASSERT_EQ(mkdir((root_ + "/c1").c_str(), 0700), 0);
    std::ofstream(root_ + "/c1/config") << "lxc.uts.name = c1\n";
    ASSERT_EQ(setenv("XDG_RUNTIME_DIR", (root_ + "/run").c_str(), 1), 0);
  }
  void TearDown() override {
    unsetenv("XDG_RUNTIME_DIR");
    std::string command = "rm -rf '" + root_ + "'";
    ASSERT_EQ(system(command.c_str()), 0);
  }

  ContainerRef Ref() {
    auto ref = ResolveContainer("c1", root_);
    EXPECT_TRUE(ref.ok()) << ref.error().ToString();
    return *ref;
  }

  std::optional<ContainerLock> Lock() {
    auto lock = ContainerLock::TryAcquire(root_ + "/c1", "c1");
    EXPECT_TRUE(lock.ok()) << lock.error().ToString();
    if (!lock.ok()) return std::nullopt;
    return std::move(*lock);
  }

  std::string root_;
};

TEST_F(ContainerStatusTest, AForegroundRecordMakesTheContainerRunningUntilItGoes) {
  ContainerRef ref = Ref();
  auto lock = Lock();
  ASSERT_TRUE(lock.has_value());
  {
    ForegroundRecord record("c1", ref.config_file);
    ASSERT_TRUE(record.Running(getpid()).ok());
    auto status = ProbeContainer(ref);
    ASSERT_TRUE(status.ok()) << status.error().ToString();
    EXPECT_EQ(status->state, RunState::kRunning);
    EXPECT_TRUE(status->details.foreground);
    EXPECT_EQ(status->details.init_pid, getpid());
    EXPECT_EQ(status->details.monitor_pid, getpid());
    auto monitor = ConnectMonitor(ref);
    ASSERT_FALSE(monitor.ok());
    EXPECT_NE(monitor.error().ToString().find("runs in the foreground"), std::string::npos)
        << monitor.error().ToString();
  }
  EXPECT_FALSE(Exists(ref.paths.state));
  EXPECT_FALSE(Exists(ref.paths.dir));
  // Its launcher still holds the lock: not STOPPED until that goes.
  auto status = ProbeContainer(ref);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ(status->state, RunState::kStarting);
  lock.reset();
  status = ProbeContainer(ref);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ(status->state, RunState::kStopped);
}

// The lock held and no state file: a start whose record has nothing released
// yet is STARTING; once its release began (a stop, or a reboot's restart
// releasing the old container) STOPPING.
TEST_F(ContainerStatusTest, AHeldLockWithoutAStateFileIsStartingOrStopping) {
  ContainerRef ref = Ref();
  auto lock = Lock();
  ASSERT_TRUE(lock.has_value());
  ASSERT_EQ(mkdir(ref.paths.dir.c_str(), 0700), 0);
  auto status = ProbeContainer(ref);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ(status->state, RunState::kStarting);
  AcquiredRecord record;
  record.entries.push_back({AcquiredKind::kRuntimeFiles, AcquiredStatus::kConfirmed, ref.paths.dir, {}});
  ASSERT_TRUE(WriteAcquiredFile(ref.paths.acquired, record).ok());
  status = ProbeContainer(ref);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ(status->state, RunState::kStarting);
  record.entries.front().status = AcquiredStatus::kReleased;
  ASSERT_TRUE(WriteAcquiredFile(ref.paths.acquired, record).ok());
  status = ProbeContainer(ref);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ(status->state, RunState::kStopping);
  EXPECT_STREQ(RunStateName(status->state), "STOPPING");
  lock.reset();
  status = ProbeContainer(ref);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ(status->state, RunState::kStopped);
  EXPECT_FALSE(Exists(ref.paths.dir));
}

TEST_F(ContainerStatusTest, ARecordLeftByAKilledLauncherGoesWithItsLock) {
  ContainerRef ref = Ref();
  {
    auto lock = Lock();
    ASSERT_TRUE(lock.has_value());
    ASSERT_EQ(mkdir(ref.paths.dir.c_str(), 0700), 0);
    ContainerState state{"c1", getpid(), getpid(), ref.config_file, 1, true};
    ASSERT_TRUE(WriteStateFile(ref.paths.state, state).ok());
  }
  auto status = ProbeContainer(ref);
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ(status->state, RunState::kStopped);
  EXPECT_FALSE(Exists(ref.paths.state));
  EXPECT_FALSE(Exists(ref.paths.dir));
}

TEST_F(ContainerStatusTest, AMonitorStateWithoutItsSocketIsAnError) {
  ContainerRef ref = Ref();
  auto lock = Lock();
  ASSERT_TRUE(lock.has_value());
  ASSERT_EQ(mkdir(ref.paths.dir.c_str(), 0700), 0);
  ContainerState state{"c1", getpid(), getpid(), ref.config_file, 1, false};
  ASSERT_TRUE(WriteStateFile(ref.paths.state, state).ok());
  EXPECT_FALSE(ProbeContainer(ref).ok());
}

}  // namespace
}  // namespace uxc::lifecycle

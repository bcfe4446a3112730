// The release of what a start acquired, from its record (issue 11, item 3):
// after kill -9 of the monitor, the next start, stop or ls releases it
// once; a config broken while the container runs does not keep `uxc stop`
// from running the stop hooks the start planned.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class ReleaseTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    log_ = scratch_ + "/hooks.log";
    std::string hook = scratch_ + "/hook.sh";
    {
      std::ofstream script(hook);
      // "stop stop" for the stop hook, "post-stop stop" for the post-stop.
      script << "#!/bin/sh\necho \"$3 $LXC_TARGET\" >> " << log_ << "\n";
    }
    ASSERT_EQ(chmod(hook.c_str(), 0755), 0);
    ASSERT_EQ(chown(scratch_.c_str(), user_.uid, user_.gid), 0);
    std::ofstream config(ConfigFile(), std::ios::app);
    config << "lxc.hook.stop = " << hook << "\nlxc.hook.post-stop = " << hook << "\n";
  }

  std::string ConfigFile() const { return path_ + "/" + name_ + "/config"; }
  std::string HooksRan() const {
    std::ifstream in(log_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string RuntimeDir() const { return RuntimeBase() + "/" + name_; }
  bool Exists(const std::string& path) const {
    struct stat st;
    return lstat(path.c_str(), &st) == 0;
  }

  // Starts the container and kills its monitor with SIGKILL; returns once
  // the monitor is gone (dead or a zombie: its lock is dropped either way).
  void StartAndKillTheMonitor() {
    auto started = Uxc("start", {name_});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    pid_t monitor = MonitorPid(name_);
    ASSERT_GT(monitor, 0);
    ASSERT_EQ(kill(monitor, SIGKILL), 0);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (Alive(monitor) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ASSERT_FALSE(Alive(monitor)) << "the monitor outlived SIGKILL for 30 s";
    EXPECT_EQ(HooksRan(), "") << "a hook ran before anyone released the container";
    EXPECT_TRUE(Exists(RuntimeDir() + "/acquired")) << "a killed monitor leaves its record";
  }

  static bool Alive(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    if (text.empty()) return false;
    size_t close = text.rfind(')');
    return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
  }

  std::string log_;
};

TEST_F(ReleaseTest, AfterTheMonitorIsKilledTheNextStartReleasesOnce) {
  StartAndKillTheMonitor();
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_TRUE(Contains(started.err, "ended without its monitor; releasing what its start left")) << started.err;
  EXPECT_EQ(HooksRan(), "stop stop\npost-stop stop\n");
  ExpectInitIsPid1(name_);
  auto stopped = Uxc("stop", {name_, "-k"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  // The new start's own hooks, once; the old record is not released again.
  EXPECT_EQ(HooksRan(), "stop stop\npost-stop stop\nstop stop\npost-stop stop\n");
  ExpectNothingLeft(name_);
}

TEST_F(ReleaseTest, AfterTheMonitorIsKilledStopReleasesAndLsFindsNothingMore) {
  StartAndKillTheMonitor();
  auto stopped = Uxc("stop", {name_});
  EXPECT_TRUE(Contains(stopped.err, "ended without its monitor; releasing what its start left")) << stopped.err;
  EXPECT_TRUE(Contains(stopped.err, "is not running")) << stopped.err;
  EXPECT_EQ(HooksRan(), "stop stop\npost-stop stop\n");
  EXPECT_FALSE(Exists(RuntimeDir())) << "the runtime files outlived the release";
  EXPECT_EQ(LsState(name_), "STOPPED");
  auto again = Uxc("stop", {name_});
  EXPECT_FALSE(Contains(again.err, "releasing")) << again.err;
  EXPECT_EQ(HooksRan(), "stop stop\npost-stop stop\n");
  ExpectNothingLeft(name_);
}

TEST_F(ReleaseTest, AfterTheMonitorIsKilledLsReleasesOnce) {
  StartAndKillTheMonitor();
  auto listed = Uxc("ls", {});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(Contains(listed.err, "releasing what its start left")) << listed.err;
  EXPECT_EQ(HooksRan(), "stop stop\npost-stop stop\n");
  EXPECT_FALSE(Exists(RuntimeDir()));
  EXPECT_EQ(LsState(name_), "STOPPED");
  auto info = Uxc("info", {name_});
  EXPECT_FALSE(Contains(info.err, "releasing")) << info.err;
  EXPECT_EQ(HooksRan(), "stop stop\npost-stop stop\n");
  ExpectNothingLeft(name_);
}

TEST_F(ReleaseTest, AConfigBrokenWhileItRunsStillStopsWithTheHooksTheStartPlanned) {
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string config;
  {
    std::ifstream in(ConfigFile());
    config.assign(std::istreambuf_iterator<char>(in), {});
  }
  { std::ofstream(ConfigFile()) << "this is not a config line\n" << config; }
  auto stopped = Uxc("stop", {name_, "-t", "30"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_EQ(stopped.err, "");
  EXPECT_EQ(HooksRan(), "stop stop\npost-stop stop\n");
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
  auto again = Uxc("start", {name_});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_TRUE(Contains(again.err, ConfigFile() + ":1")) << again.err;
  EXPECT_EQ(HooksRan(), "stop stop\npost-stop stop\n");
}

}  // namespace
}  // namespace uxc::testing

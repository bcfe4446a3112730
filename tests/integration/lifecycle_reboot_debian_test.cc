// A Debian bookworm guest with sysvinit reboots in place: `uxc stop -r`
// sends SIGINT (lxc.signal.reboot), init runs the inittab's ctrlaltdel entry
// (shutdown -r), runlevel 6's rc scripts end in reboot(2), and the monitor
// starts the container again, which boots to runlevel 2 once more.
// The guest comes from the bootstrap cache the Debian guest tests share.
#include <unistd.h>

#include <fstream>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

constexpr char kGuest[] = "deb";

class DebianRebootTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    if (HasFatalFailure()) return;
    auto made = CreateDebianGuest(kGuest);
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  // Polls `runlevel` until the guest is in runlevel 2 (at most 120 s).
  bool InRunlevel2() {
    for (int i = 0; i < 240; ++i) {
      auto runlevel = Uxc("attach", {kGuest, "--", "runlevel"});
      if (runlevel.exit_code == 0 && runlevel.out.ends_with(" 2\n")) return true;
      usleep(500 * 1000);
    }
    return false;
  }

  pid_t StateInitPid() {
    std::ifstream state(RuntimeBase() + "/" + kGuest + "/state");
    for (std::string line; std::getline(state, line);) {
      if (line.starts_with("init_pid=")) return std::stoi(line.substr(9));
    }
    return 0;
  }
};

TEST_F(DebianRebootTest, StopRebootRunsTheRcScriptsAndBootsAgain) {
  std::string console_log = path_ + "/deb-console.log";
  ASSERT_EQ(Uxc("start", {kGuest, "-s", "lxc.console.logfile=" + console_log}).exit_code, 0);
  ASSERT_TRUE(InRunlevel2());
  pid_t monitor = MonitorPid(kGuest);
  pid_t old_init = StateInitPid();
  RunOptions patient;
  patient.timeout_seconds = 150;
  auto rebooted = Uxc("stop", {kGuest, "-r", "-t", "120"}, patient);
  ASSERT_EQ(rebooted.exit_code, 0) << rebooted.err << ReadFileOrDie(console_log);
  EXPECT_NE(StateInitPid(), old_init);
  EXPECT_EQ(MonitorPid(kGuest), monitor);
  EXPECT_NE(kill(old_init, 0), 0);
  // Runlevel 6's scripts ran: the reboot was init's, not a kill.
  EXPECT_TRUE(ReadFileOrDie(console_log).find("Will now restart") != std::string::npos) << ReadFileOrDie(console_log);
  EXPECT_TRUE(InRunlevel2()) << ReadFileOrDie(console_log);
  auto stopped = Uxc("stop", {kGuest, "-t", "60"}, patient);
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_EQ(stopped.err.find("killing"), std::string::npos) << stopped.err;
  ExpectNothingLeft(kGuest);
}

}  // namespace
}  // namespace uxc::testing

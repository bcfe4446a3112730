// uxc autostart on busybox system containers, as a real unprivileged user:
// only lxc.start.auto = 1 containers of the selected groups, in
// lxc.start.order; -s and -k stop them again.
#include <fstream>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

class AutostartTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    if (HasFatalFailure()) return;
    // alpha starts after beta: lxc.start.order ascending. The fixture's bb
    // has no lxc.start.auto and must stay stopped.
    MakeContainer("alpha", "lxc.start.auto = 1\nlxc.start.order = 5\n");
    MakeContainer("beta", "lxc.start.auto = 1\nlxc.start.order = 1\n");
  }

  void MakeContainer(const std::string& name, const std::string& extra_config) {
    auto made = RunAs(user_, {InstalledBinary("uxc"), "create", name, "-P", path_, "-t", "busybox"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    std::ofstream config(path_ + "/" + name + "/config", std::ios::app);
    config << extra_config;
    ASSERT_TRUE(config.good());
  }

  void ExpectAllStopped() {
    EXPECT_EQ(LsState("alpha"), "STOPPED");
    EXPECT_EQ(LsState("beta"), "STOPPED");
    EXPECT_EQ(LsState(name_), "STOPPED");
    ExpectNothingLeft("alpha");
    ExpectNothingLeft("beta");
    ExpectNothingLeft(name_);
  }
};

TEST_F(AutostartTest, ListGivesTheStartOrderAndTheReverseStopOrder) {
  auto listed = Uxc("autostart", {"--list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out, "beta 0\nalpha 0\n");
  auto stop_list = Uxc("autostart", {"-L", "-s"});
  ASSERT_EQ(stop_list.exit_code, 0) << stop_list.err;
  EXPECT_EQ(stop_list.out, "alpha\nbeta\n");
  EXPECT_EQ(Uxc("autostart", {"-L", "-g", "web"}).out, "");
  EXPECT_EQ(LsState("alpha"), "STOPPED");
}

TEST_F(AutostartTest, StartsExactlyTheAutostartContainersAndShutdownStopsThem) {
  auto started = Uxc("autostart", {});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(LsState("alpha"), "RUNNING");
  EXPECT_EQ(LsState("beta"), "RUNNING");
  EXPECT_EQ(LsState(name_), "STOPPED");
  auto again = Uxc("autostart", {});
  EXPECT_EQ(again.exit_code, 0) << "running containers are left alone: " << again.err;

  auto stopped = Uxc("autostart", {"-s", "-t", "30"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectAllStopped();
}

TEST_F(AutostartTest, KillStopsThem) {
  auto started = Uxc("autostart", {});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(LsState("alpha"), "RUNNING");
  EXPECT_EQ(LsState("beta"), "RUNNING");
  auto killed = Uxc("autostart", {"-k"});
  ASSERT_EQ(killed.exit_code, 0) << killed.err;
  ExpectAllStopped();
}

}  // namespace
}  // namespace uxc::testing

#include "launcher/engine/start_plan.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/personality.h>

#include "launcher/engine/build_limits.h"
#include "launcher/engine/process_settings.h"

namespace uxc::launcher {
namespace {

// Plans a start from config text, with a real (empty) rootfs directory.
class StartPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        std::string(getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp") + "/rootfs-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    rootfs_ = pattern;
  }

  Result<StartPlan> Plan(const std::string& text) {
    UXC_ASSIGN_OR_RETURN(auto config,
                         config::ParseContainerConfigText(
                             "lxc.rootfs.path = " + rootfs_ + "\nlxc.seccomp.profile =\n" + text, "test.conf"));
    StartRequest request;
    request.command = {"/bin/true"};
    request.caller = Caller{1000, 1000, "alice"};
    UXC_ASSIGN_OR_RETURN(auto configured, MapsFromConfig(config));
    request.maps_from_config = configured.has_value();
    request.maps = configured.has_value() ? *configured
                                          : DefaultIdMap(request.caller, SubordinateRange{100000, 65536},
                                                         SubordinateRange{100000, 65536});
    request.caller_env = {"TERM=xterm", "SECRET=x"};
    return PlanStart(config, request);
  }

  std::string rootfs_;
};

TEST_F(StartPlanTest, DefaultsAreAllNamespacesAndTheDefaultMaps) {
  auto plan = Plan("");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_TRUE(plan->namespaces.has(CLONE_NEWUSER));
  EXPECT_TRUE(plan->namespaces.unshares_network());
  EXPECT_FALSE(plan->namespaces.flags_at_clone() & CLONE_NEWNET);
  EXPECT_EQ(plan->maps.uids, (std::vector<IdMapLine>{{0, 100000, 65536}}));
  EXPECT_EQ(plan->parent_death_signal, SIGKILL);
  EXPECT_TRUE(plan->console.has_console);
  EXPECT_EQ(plan->payload.argv, (std::vector<std::string>{"/bin/true"}));
}

TEST_F(StartPlanTest, IdmapFromTheConfigWins) {
  auto plan = Plan("lxc.idmap = u 0 200000 1000\nlxc.idmap = g 0 200000 1000\n");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->maps.uids, (std::vector<IdMapLine>{{0, 200000, 1000}}));
}

TEST_F(StartPlanTest, SharingNamespacesIsRefusedWithTheKey) {
  auto plan = Plan("lxc.namespace.share.net = 1234\n");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("test.conf:3: lxc.namespace.share.net = 1234: joining"),
            std::string::npos)
      << plan.error().message;
}

// A limit is applied or the start fails (lifecycle/cgroup_concern.h): the
// loader and the plan never say it is ignored.
TEST_F(StartPlanTest, Cgroup2LimitsAreNeverWarnedAway) {
  auto config =
      config::ParseContainerConfigText("lxc.cgroup2.memory.max = 1G\n", "test.conf", BuildLimits());
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_TRUE(config->warnings().empty()) << config->warnings()[0].ToString();
  auto plan = Plan("lxc.cgroup2.memory.max = 1G\n");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  for (const std::string& note : plan->notes) EXPECT_EQ(note.find("lxc.cgroup2"), std::string::npos) << note;
}

TEST_F(StartPlanTest, RuntimeEnvironmentAndParentDeathSignal) {
  auto plan = Plan("lxc.environment.runtime = A=1\nlxc.monitor.signal.pdeath = SIGTERM\n");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->parent_death_signal, SIGTERM);
  const auto& env = plan->payload.env;
  EXPECT_NE(std::find(env.begin(), env.end(), "A=1"), env.end());
  EXPECT_EQ(std::find(env.begin(), env.end(), "SECRET=x"), env.end());
}

TEST_F(StartPlanTest, UidZeroMustBeMapped) {
  auto plan = Plan("lxc.idmap = u 1 200000 10\nlxc.idmap = g 0 200000 10\n");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("uid 0 and gid 0 must be mapped"), std::string::npos);
}

TEST_F(StartPlanTest, HostnameNeedsAUtsNamespace) {
  auto plan = Plan("lxc.uts.name = c1\nlxc.namespace.keep = uts\n");
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().message.find("needs a uts namespace"), std::string::npos);
}

TEST(PersonalityForTest, ThirtyTwoBitOfTheHostsFamilyOnly) {
  EXPECT_EQ(*PersonalityFor("i686", "x86_64"), static_cast<unsigned long>(PER_LINUX32));
  EXPECT_EQ(*PersonalityFor("linux32", "x86_64"), static_cast<unsigned long>(PER_LINUX32));
  EXPECT_EQ(*PersonalityFor("amd64", "x86_64"), static_cast<unsigned long>(PER_LINUX));
  EXPECT_EQ(*PersonalityFor("armhf", "aarch64"), static_cast<unsigned long>(PER_LINUX32));
  auto foreign = PersonalityFor("arm64", "x86_64");
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.error().message.find("a x86_64 host cannot run arm64 programs"),
            std::string::npos);
}

}  // namespace
}  // namespace uxc::launcher

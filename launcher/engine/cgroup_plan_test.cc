#include "launcher/engine/cgroup_plan.h"

#include "config/container_config.h"
#include "gtest/gtest.h"
#include "launcher/engine/build_limits.h"

namespace uxc::launcher {
namespace {

Result<CgroupPlan> PlanFrom(const std::string& text, const std::string& name = "c1") {
  auto config = config::ParseContainerConfigText(text, "c.conf", BuildLimits());
  if (!config.ok()) return config.take_error();
  return PlanCgroup(*config, name);
}

TEST(CgroupPlan, LxcsLayoutWithUxcNames) {
  auto plan = PlanFrom("");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->payload, "uxc.payload.c1");
  EXPECT_EQ(plan->monitor, "uxc.monitor.c1");
  EXPECT_TRUE(plan->limits.empty());
}

TEST(CgroupPlan, PlacementKeys) {
  auto dir = PlanFrom("lxc.cgroup.dir = lab/first\n");
  ASSERT_TRUE(dir.ok()) << dir.error().ToString();
  EXPECT_EQ(dir->payload, "lab/first/uxc.payload.c1");
  EXPECT_EQ(dir->monitor, "lab/first/uxc.monitor.c1");
  auto split = PlanFrom("lxc.cgroup.dir.container = box/c\nlxc.cgroup.dir.monitor = box/m\nlxc.cgroup.relative = 1\n");
  ASSERT_TRUE(split.ok()) << split.error().ToString();
  EXPECT_EQ(split->payload, "box/c");
  EXPECT_EQ(split->monitor, "box/m");
}

TEST(CgroupPlan, PlacementErrorsNameTheLine) {
  for (const auto& [text, expected] : std::initializer_list<std::pair<const char*, const char*>>{
           {"lxc.cgroup.dir = /abs\n", "c.conf:1: lxc.cgroup.dir = /abs: the path is relative"},
           {"lxc.cgroup.dir = a/../b\n", "no empty part"},
           {"lxc.cgroup.dir.container = a\n", "set lxc.cgroup.dir.container and lxc.cgroup.dir.monitor together"},
           {"lxc.cgroup.dir = x\nlxc.cgroup.dir.container = a\nlxc.cgroup.dir.monitor = b\n", "exclude each other"},
       }) {
    auto plan = PlanFrom(text);
    ASSERT_FALSE(plan.ok()) << text;
    EXPECT_NE(plan.error().ToString().find(expected), std::string::npos) << plan.error().ToString();
  }
}

TEST(CgroupPlan, LimitsKeepTheirLinesAndNeedTheirControllers) {
  auto plan = PlanFrom(
      "lxc.cgroup2.memory.max = 64M\nlxc.cgroup2.pids.max = 20\nlxc.cgroup2.memory.high = 60M\n"
      "lxc.cgroup2.cgroup.max.descendants = 10\nlxc.cgroup2.devices.allow = a\n");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  ASSERT_EQ(plan->limits.size(), 4u);
  EXPECT_EQ(plan->limits[1].file, "pids.max");
  EXPECT_EQ(plan->limits[1].value, "20");
  EXPECT_EQ(plan->limits[1].origin, "c.conf:2");
  EXPECT_EQ(plan->controllers, (std::vector<std::string>{"memory", "pids"}));
}

TEST(CgroupPlan, AConfigLessRunIsNamedForItsLauncher) {
  auto plan = PlanFrom("", "");
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->payload.starts_with("uxc.payload.run."));
}

}  // namespace
}  // namespace uxc::launcher

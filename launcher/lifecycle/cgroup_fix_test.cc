#include "launcher/lifecycle/cgroup_fix.h"

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

launcher::CgroupPlan PlanWith(const std::string& controller, const std::string& file) {
  launcher::CgroupPlan plan;
  plan.name = "c1";
  plan.limits.push_back({"lxc.cgroup2." + file, controller, file, "10", "c.conf:3"});
  plan.controllers = {controller};
  return plan;
}

std::string Text(const Status& status) { return status.ok() ? "ok" : status.error().ToString(); }

TEST(CheckLimitsApply, DelegatedControllersPass) {
  CgroupHost host;
  host.delegation = "/sys/fs/cgroup/u";
  host.available = {"cpu", "memory", "pids"};
  EXPECT_TRUE(CheckLimitsApply(PlanWith("pids", "pids.max"), host).ok());
  EXPECT_TRUE(CheckLimitsApply(launcher::CgroupPlan{}, CgroupHost{}).ok());
}

TEST(CheckLimitsApply, NoDelegationUnderSystemdGivesTheScopeLine) {
  CgroupHost host;
  host.systemd = true;
  std::string text = Text(CheckLimitsApply(PlanWith("memory", "memory.max"), host));
  EXPECT_NE(text.find("c.conf:3: lxc.cgroup2.memory.max = 10: this limit needs a cgroup"), std::string::npos) << text;
  EXPECT_NE(text.find("systemd-run --user --scope -p Delegate=yes uxc start c1"), std::string::npos) << text;
}

TEST(CheckLimitsApply, NoDelegationWithoutSystemdGivesThePamLine) {
  std::string text = Text(CheckLimitsApply(PlanWith("memory", "memory.max"), CgroupHost{}));
  EXPECT_NE(text.find("session optional pam_uxc.so"), std::string::npos) << text;
}

TEST(CheckLimitsApply, AV1ControllerOnAHybridHost) {
  CgroupHost host;
  host.mode = kernel::CgroupMode::kHybrid;
  host.v1_controllers = {"memory", "pids"};
  host.delegation = "/sys/fs/cgroup/unified/u";
  host.available = {"hugetlb"};
  std::string text = Text(CheckLimitsApply(PlanWith("pids", "pids.max"), host));
  EXPECT_NE(text.find("the pids controller is bound to cgroup v1"), std::string::npos) << text;
  EXPECT_NE(text.find("cgroup_no_v1=all"), std::string::npos) << text;
  host.openrc = true;
  EXPECT_NE(Text(CheckLimitsApply(PlanWith("pids", "pids.max"), host)).find("rc_cgroup_mode=\"unified\""),
            std::string::npos);
}

TEST(CheckLimitsApply, ANotDelegatedControllerUnderSystemdGivesTheDropIn) {
  CgroupHost host;
  host.systemd = true;
  host.delegation = "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service";
  host.available = {"cpu", "memory", "pids"};
  std::string text = Text(CheckLimitsApply(PlanWith("io", "io.max"), host));
  EXPECT_NE(text.find("the io controller is not delegated to /sys/fs/cgroup/user.slice"), std::string::npos) << text;
  EXPECT_NE(text.find("user@.service.d/delegate.conf"), std::string::npos) << text;
  EXPECT_NE(text.find("remove the line c.conf:3"), std::string::npos) << text;
}

}  // namespace
}  // namespace uxc::lifecycle

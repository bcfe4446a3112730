#include "launcher/engine/console.h"

#include <gtest/gtest.h>

namespace uxc::launcher {
namespace {

Result<ConsolePlan> Plan(const std::string& text, bool console_by_default = true) {
  UXC_ASSIGN_OR_RETURN(auto config, config::ParseContainerConfigText(text, "test.conf"));
  return PlanConsole(config, console_by_default);
}

TEST(ConsoleTest, ConsoleAndTtysSitInDev) {
  auto plan = Plan("lxc.tty.max = 2\n");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(DescribeSteps(plan->targets),
            (std::vector<std::string>{"bind  on /dev/console create=file no-symlinks",
                                      "bind  on /dev/tty1 create=file no-symlinks",
                                      "bind  on /dev/tty2 create=file no-symlinks"}));
  EXPECT_TRUE(plan->console_alias.empty());
  EXPECT_TRUE(plan->tty_links.empty());
  EXPECT_EQ(plan->fd_count(), 4);
}

// LXC's layout (conf.c): the ptys in /dev/DIR, the console bound on
// /dev/console as well, /dev/ttyN a relative symlink.
TEST(ConsoleTest, TtyDirHoldsThePtysAndDevLinksToThem) {
  auto plan = Plan("lxc.tty.max = 2\nlxc.tty.dir = lxc\n");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(DescribeSteps(plan->targets),
            (std::vector<std::string>{"bind  on /dev/lxc/console create=file no-symlinks",
                                      "bind  on /dev/lxc/tty1 create=file no-symlinks",
                                      "bind  on /dev/lxc/tty2 create=file no-symlinks"}));
  EXPECT_EQ(DescribeSteps(plan->console_alias),
            (std::vector<std::string>{"bind  on /dev/console create=file no-symlinks"}));
  EXPECT_EQ(DescribeSteps(plan->tty_links),
            (std::vector<std::string>{"symlink /dev/tty1 -> lxc/tty1 no-symlinks",
                                      "symlink /dev/tty2 -> lxc/tty2 no-symlinks"}));
  EXPECT_EQ(plan->fd_count(), 4);  // the same ptys: one per target and the console's peer
}

TEST(ConsoleTest, TtyDirWithoutAConsoleLinksTheTtysOnly) {
  auto plan = Plan("lxc.tty.max = 1\nlxc.tty.dir = lxc\nlxc.console.path = none\n");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(DescribeSteps(plan->targets),
            (std::vector<std::string>{"bind  on /dev/lxc/tty1 create=file no-symlinks"}));
  EXPECT_TRUE(plan->console_alias.empty());
  EXPECT_EQ(plan->tty_links.size(), 1u);
  EXPECT_EQ(plan->fd_count(), 1);
}

TEST(ConsoleTest, AnEmptyTtyDirIsNone) {
  auto plan = Plan("lxc.tty.max = 1\nlxc.tty.dir = lxc\nlxc.tty.dir =\n");
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->targets[1].target, "/dev/tty1");
  EXPECT_TRUE(plan->tty_links.empty());
}

}  // namespace
}  // namespace uxc::launcher

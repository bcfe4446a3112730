#include "kernel/setuid_helper.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace uxc::kernel {
namespace {

TEST(SetuidHelperTest, ASuccessfulHelperReportsItsOutput) {
  auto helper = SpawnHelper({"/bin/sh", "-c", "echo fine >&2"});
  ASSERT_TRUE(helper.ok()) << helper.error().ToString();
  auto exit = WaitForHelper(*helper);
  ASSERT_TRUE(exit.ok()) << exit.error().ToString();
  EXPECT_TRUE(exit->succeeded);
  EXPECT_EQ(exit->how, "exit status 0");
  EXPECT_EQ(exit->output, "fine");
}

TEST(SetuidHelperTest, AFailureIsDescribedWithTheCommandStatusAndMessage) {
  auto helper = SpawnHelper({"/bin/sh", "-c", "echo 'no range for alice ' >&2; exit 3"});
  ASSERT_TRUE(helper.ok()) << helper.error().ToString();
  auto exit = WaitForHelper(*helper);
  ASSERT_TRUE(exit.ok()) << exit.error().ToString();
  EXPECT_FALSE(exit->succeeded);
  EXPECT_EQ(DescribeFailure(*helper, *exit),
            "`/bin/sh -c echo 'no range for alice ' >&2; exit 3` failed (exit status 3): no range for alice");
}

TEST(SetuidHelperTest, AKilledHelperNamesTheSignal) {
  auto helper = SpawnHelper({"/bin/sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(helper.ok()) << helper.error().ToString();
  auto exit = WaitForHelper(*helper);
  ASSERT_TRUE(exit.ok()) << exit.error().ToString();
  EXPECT_FALSE(exit->succeeded);
  EXPECT_EQ(DescribeFailure(*helper, *exit), "`/bin/sh -c kill -9 $$` failed (signal 9)");
}

// The fd the caller passes is open in the helper at the same number; the
// caller's other close-on-exec fds are not.
TEST(SetuidHelperTest, OnlyThePassedFdIsInherited) {
  int passed[2], other[2];
  ASSERT_EQ(pipe2(passed, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(other, O_CLOEXEC), 0);
  std::string script = "echo passed >&" + std::to_string(passed[1]) + " && ! (echo x >&" +
                       std::to_string(other[1]) + ") 2>/dev/null";
  auto helper = SpawnHelper({"/bin/sh", "-c", script}, passed[1]);
  ASSERT_TRUE(helper.ok()) << helper.error().ToString();
  close(passed[1]);
  close(other[1]);
  auto exit = WaitForHelper(*helper);
  ASSERT_TRUE(exit.ok()) << exit.error().ToString();
  EXPECT_TRUE(exit->succeeded) << exit->how << ": " << exit->output;
  char buffer[16] = {};
  EXPECT_EQ(read(passed[0], buffer, sizeof buffer), 7);
  EXPECT_STREQ(buffer, "passed\n");
  close(passed[0]);
  close(other[0]);
}

TEST(SetuidHelperTest, AMissingProgramIsAnErrorWithItsPath) {
  auto helper = SpawnHelper({"/nonexistent/uxc-helper"});
  ASSERT_FALSE(helper.ok());
  EXPECT_EQ(helper.error().ToString(), "run /nonexistent/uxc-helper: No such file or directory");
}

}  // namespace
}  // namespace uxc::kernel

#include "launcher/cli/attach_target.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace uxc::cli {
namespace {

TEST(AttachTargetTest, ParentPidFollowsTheLastParenthesis) {
  EXPECT_EQ(ParentPidFromStat("42 (sh) S 7 42 42 0 -1 4194560"), 7);
  EXPECT_EQ(ParentPidFromStat("42 (a) S 9) R 3 42 42"), 3);
  EXPECT_EQ(ParentPidFromStat("42 (init) S 0"), 0);
  EXPECT_EQ(ParentPidFromStat("42 (sh"), -1);
  EXPECT_EQ(ParentPidFromStat("42 (sh) S x7 1"), -1);
  EXPECT_EQ(ParentPidFromStat(""), -1);
  EXPECT_EQ(ParentPidFromStat("2 (2) 0 -2 1"), -1);
}

TEST(AttachTargetTest, ADumpableProcessIsItsOwnTarget) {
  auto target = OpenAttachTarget(getpid());
  ASSERT_TRUE(target.ok()) << target.error().ToString();
  EXPECT_EQ(target->pid, getpid());
  EXPECT_TRUE(target->pidfd);
}

TEST(AttachTargetTest, AMissingInitIsAnError) {
  pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(waitpid(child, nullptr, 0), child);
  auto target = OpenAttachTarget(child);
  ASSERT_FALSE(target.ok());
  EXPECT_NE(target.error().ToString().find("the container's init"), std::string::npos)
      << target.error().ToString();
}

}  // namespace
}  // namespace uxc::cli

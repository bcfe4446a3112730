#include "launcher/cli/failure.h"

#include <gtest/gtest.h>

#include <string>

#include "launcher/args/args.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec> kSpec = {{"quiet", 'q', false, false, "", "say less"}};

TEST(FailWithTest, UsageErrorExitsTwoWithOnePrefix) {
  Result<ParsedArgs> parsed = ParseArgs("ls", kSpec, {"-1"});
  ASSERT_FALSE(parsed.ok());
  testing::internal::CaptureStderr();
  int status = FailWith("ls", parsed.error());
  std::string printed = testing::internal::GetCapturedStderr();
  EXPECT_EQ(status, 2);
  EXPECT_EQ(printed, "uxc ls: unknown option -1; see `uxc ls --help`\n");
}

TEST(FailWithTest, RuntimeFailureExitsOne) {
  testing::internal::CaptureStderr();
  int status = FailWith("stop", PlainError("container 'c1' is not running"));
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "uxc stop: container 'c1' is not running\n");
  EXPECT_EQ(status, 1);
}

// Issue 11: a hint has a line of its own, with the same prefix; it is no
// longer glued onto the message.
TEST(FailWithTest, TheHintHasALineOfItsOwn) {
  testing::internal::CaptureStderr();
  int status = FailWith("start", WithHint(ErrnoError(EPERM, "create the container's namespaces"),
                                          "check `sysctl user.max_user_namespaces`"));
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "uxc start: create the container's namespaces: Operation not permitted\n"
            "uxc start: check `sysctl user.max_user_namespaces`\n");
  EXPECT_EQ(status, 1);
}

}  // namespace
}  // namespace uxc::cli

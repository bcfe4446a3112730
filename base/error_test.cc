#include "base/error.h"

#include <gtest/gtest.h>

namespace uxc {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return PlainError("odd number " + std::to_string(n));
  return n / 2;
}

Status HalfTwice(int n) {
  UXC_ASSIGN_OR_RETURN(int once, Half(n));
  UXC_RETURN_IF_ERROR(Half(once));
  return OkStatus();
}

TEST(ErrorTest, ErrnoErrorAppendsStrerror) {
  EXPECT_EQ(ErrnoError(ENOENT, "open /x").ToString(), "open /x: No such file or directory");
}

TEST(ErrorTest, PlainErrorHasNoErrno) {
  Error e = PlainError("bad key");
  EXPECT_EQ(e.errno_value, 0);
  EXPECT_EQ(e.ToString(), "bad key");
}

TEST(ErrorTest, TheHintHasALineOfItsOwn) {
  Error error = WithHint(ErrnoError(EPERM, "create the namespaces"), "check the sysctl");
  EXPECT_EQ(error.Summary(), "create the namespaces: Operation not permitted");
  EXPECT_EQ(error.ToString(), "create the namespaces: Operation not permitted\ncheck the sysctl");
  EXPECT_EQ(PrefixedLines("uxc start", error),
            "uxc start: create the namespaces: Operation not permitted\nuxc start: check the sysctl\n");
  EXPECT_EQ(PrefixedLines("uxc ls", PlainError("bad")), "uxc ls: bad\n");
}

TEST(ErrorTest, AnnotateKeepsErrnoAndHint) {
  Error error = Annotate(WithHint(ErrnoError(ENOENT, "open /x"), "create it"), "start c1");
  EXPECT_EQ(error.errno_value, ENOENT);
  EXPECT_EQ(error.ToString(), "start c1: open /x: No such file or directory\ncreate it");
}

TEST(ErrorTest, ResultCarriesValueOrError) {
  EXPECT_EQ(*Half(8), 4);
  EXPECT_EQ(Half(3).error().message, "odd number 3");
}

TEST(ErrorTest, ReturnIfErrorPropagates) {
  EXPECT_TRUE(HalfTwice(8).ok());
  EXPECT_EQ(HalfTwice(6).error().message, "odd number 3");
}

// Two in one scope, the second assigning an existing variable.
Result<int> QuarterOf(int n) {
  UXC_ASSIGN_OR_RETURN(int half, Half(n));
  UXC_ASSIGN_OR_RETURN(half, Half(half));
  return half;
}

TEST(ErrorTest, AssignOrReturnUnwrapsOrPropagates) {
  EXPECT_EQ(*QuarterOf(12), 3);
  EXPECT_EQ(QuarterOf(10).error().message, "odd number 5");
  EXPECT_EQ(QuarterOf(7).error().message, "odd number 7");
}

TEST(ErrorTest, OnlyUsageErrorsAreMarkedUsage) {
  EXPECT_TRUE(UsageError("unknown option -1").usage);
  EXPECT_FALSE(PlainError("x").usage);
  EXPECT_FALSE(ErrnoError(ENOENT, "open f").usage);
  EXPECT_TRUE(Annotate(UsageError("x"), "ls").usage) << "context keeps the kind";
}

TEST(ErrorTest, AnnotatePrefixesContext) {
  EXPECT_EQ(Annotate(PlainError("x"), "start c1").message, "start c1: x");
}

}  // namespace
}  // namespace uxc

#include "pam/module_args.h"

#include <gtest/gtest.h>

namespace uxc::pam {
namespace {

using Strings = std::vector<std::string>;

TEST(ModuleArgsTest, WithoutArgumentsTakesTheDefaults) {
  ParsedArgs parsed = ParseModuleArgs({});
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.args.controllers, (Strings{"cpu", "cpuset", "io", "memory", "pids"}));
  EXPECT_FALSE(parsed.args.base);
  EXPECT_FALSE(parsed.args.debug);
  EXPECT_FALSE(parsed.args.required);
}

TEST(ModuleArgsTest, ReadsEveryArgument) {
  ParsedArgs parsed = ParseModuleArgs({"controllers=memory,pids,memory", "base=/system/uxc.users", "debug", "required"});
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_EQ(parsed.args.controllers, (Strings{"memory", "pids"}));
  ASSERT_TRUE(parsed.args.base);
  EXPECT_EQ(*parsed.args.base, (Strings{"system", "uxc.users"}));
  EXPECT_TRUE(parsed.args.debug);
  EXPECT_TRUE(parsed.args.required);
}

TEST(ModuleArgsTest, AnEmptyControllerListEnablesNone) {
  ParsedArgs parsed = ParseModuleArgs({"controllers="});
  EXPECT_TRUE(parsed.errors.empty());
  EXPECT_TRUE(parsed.args.controllers.empty());
}

TEST(ModuleArgsTest, EachBadArgumentIsNamedAndTheOthersStillCount) {
  ParsedArgs parsed = ParseModuleArgs({"controllers=memory,../x", "base=uxc.users", "base=/a/../b", "degub",
                                       "required", "base=/a//b"});
  ASSERT_EQ(parsed.errors.size(), 5u);
  EXPECT_EQ(parsed.errors[0],
            "argument \"controllers=memory,../x\": controller \"../x\" is not a controller name (lower-case "
            "letters and '_', as in cgroup.controllers)");
  EXPECT_NE(parsed.errors[1].find("\"base=uxc.users\": it must be a path from the cgroup2 root"), std::string::npos);
  EXPECT_NE(parsed.errors[2].find("component \"..\" is not a cgroup name"), std::string::npos);
  EXPECT_EQ(parsed.errors[3],
            "argument \"degub\": unknown argument (use controllers=LIST, base=/PATH, debug, required)");
  EXPECT_NE(parsed.errors[4].find("component \"\" is not a cgroup name"), std::string::npos);
  EXPECT_TRUE(parsed.args.required);
  EXPECT_FALSE(parsed.args.base);
  EXPECT_EQ(parsed.args.controllers.size(), 5u) << "a bad list leaves the default";
}

TEST(ModuleArgsTest, ABaseIsBoundedAndAnArgumentQuotedOnOneLine) {
  EXPECT_EQ(ParseModuleArgs({"base=/a/b/c/d/e/f/g/h"}).errors.size(), 0u);
  EXPECT_EQ(ParseModuleArgs({"base=/a/b/c/d/e/f/g/h/i"}).errors.size(), 1u);
  ParsedArgs parsed = ParseModuleArgs({"base=/a\nb"});
  ASSERT_EQ(parsed.errors.size(), 1u);
  EXPECT_EQ(parsed.errors[0].find('\n'), std::string::npos) << parsed.errors[0];
}

}  // namespace
}  // namespace uxc::pam

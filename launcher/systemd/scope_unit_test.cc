#include "launcher/systemd/scope_unit.h"

#include <gtest/gtest.h>

namespace uxc::systemd {
namespace {

TEST(ScopeUnitTest, NameCarriesTheContainerAndEightHexDigits) {
  EXPECT_EQ(ScopeUnitName("web_1.a-b", 0x1a2b3c), "uxc-web_1.a-b-001a2b3c.scope");
  EXPECT_EQ(ScopeUnitName("c", 0xffffffff), "uxc-c-ffffffff.scope");
}

TEST(ScopeUnitTest, CgroupIsTheUnitOnlyWhenItsLastComponentIsTheName) {
  const char* unit = "uxc-c1-0000abcd.scope";
  EXPECT_TRUE(CgroupIsUnit("0::/user.slice/user-1000.slice/user@1000.service/app.slice/uxc-c1-0000abcd.scope\n",
                           unit));
  // A hybrid host lists v1 hierarchies before the unified one.
  EXPECT_TRUE(CgroupIsUnit("12:pids:/user.slice\n1:name=systemd:/x\n0::/app.slice/uxc-c1-0000abcd.scope\n", unit));
  EXPECT_FALSE(CgroupIsUnit("0::/user.slice/user-1000.slice/session-3.scope\n", unit));
  EXPECT_FALSE(CgroupIsUnit("0::/app.slice/uxc-c1-0000abcd.scope/leaf\n", unit));
  EXPECT_FALSE(CgroupIsUnit("0::/app.slice/xuxc-c1-0000abcd.scope\n", unit));
  EXPECT_FALSE(CgroupIsUnit("4:memory:/app.slice/uxc-c1-0000abcd.scope\n", unit));
  EXPECT_FALSE(CgroupIsUnit("", unit));
  EXPECT_FALSE(CgroupIsUnit("0::/\n", ""));
}

}  // namespace
}  // namespace uxc::systemd

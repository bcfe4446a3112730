#include "launcher/cli/attach_security.h"

#include "gtest/gtest.h"

namespace uxc::cli {
namespace {

constexpr char kStatus[] =
    "Name:\tinit\n"
    "CapInh:\t0000000000000000\n"
    "CapBnd:\t000001ffffdfffff\n"
    "NoNewPrivs:\t1\n"
    "Seccomp:\t2\n";

TEST(AttachSecurityTest, ParsesTheInitsBoundingSetAndNoNewPrivs) {
  auto init = ParseInitConfinement(kStatus, "/proc/1/status");
  ASSERT_TRUE(init.ok()) << init.error().ToString();
  EXPECT_EQ(init->bounding_set, 0x000001ffffdfffffull);
  EXPECT_TRUE(init->no_new_privs);
}

TEST(AttachSecurityTest, RefusesAStatusWithoutTheFields) {
  auto missing = ParseInitConfinement("Name:\tinit\nNoNewPrivs:\t0\n", "/proc/9/status");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().ToString().rfind("/proc/9/status: no CapBnd", 0), 0u) << missing.error().ToString();
  EXPECT_FALSE(ParseInitConfinement("CapBnd:\txyz\nNoNewPrivs:\t0\n", "s").ok());
  EXPECT_FALSE(ParseInitConfinement("CapBnd:\t1ff\n", "s").ok());
  // "CapBndX:" is not "CapBnd:".
  EXPECT_FALSE(ParseInitConfinement("CapBndX:\t1ff\nNoNewPrivs:\t0\n", "s").ok());
}

TEST(AttachSecurityTest, DropsWhatTheInitLacksAndKeepsTheListSorted) {
  security::SecurityPlan plan;
  plan.bounding_drop = {5, 27};  // kill, mknod
  InitConfinement init;
  init.bounding_set = ~((uint64_t{1} << 21) | (uint64_t{1} << 27));  // no sys_admin, no mknod
  TightenToInit(init, 41, plan);
  EXPECT_EQ(plan.bounding_drop, (std::vector<int>{5, 21, 27}));
  EXPECT_FALSE(plan.no_new_privs);
}

TEST(AttachSecurityTest, CapabilitiesTheKernelLacksAreNotDropped) {
  security::SecurityPlan plan;
  InitConfinement init;
  init.bounding_set = (uint64_t{1} << 41) - 1;  // a kernel with 41 capabilities
  init.no_new_privs = true;
  TightenToInit(init, 41, plan);
  EXPECT_TRUE(plan.bounding_drop.empty());
  EXPECT_TRUE(plan.no_new_privs);
}

}  // namespace
}  // namespace uxc::cli

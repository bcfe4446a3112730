#include "kernel/cgroup_files.h"

#include <gtest/gtest.h>

namespace uxc::kernel {
namespace {

TEST(CgroupFilesTest, ReadsCpuStatAsTheKernelWritesIt) {
  auto values = ParseFlatKeyed(
      "usage_usec 1234\nuser_usec 1000\nsystem_usec 234\nnr_periods 0\nnr_throttled 0\n"
      "throttled_usec 0\nnr_bursts 0\nburst_usec 0\n");
  EXPECT_EQ(values.size(), 8u);
  EXPECT_EQ(values.at("usage_usec"), 1234u);
  EXPECT_EQ(values.at("system_usec"), 234u);
}

TEST(CgroupFilesTest, SkipsLinesThatAreNotAKeyAndANumber) {
  auto values = ParseFlatKeyed("populated 1\nfrozen\nx -1\ny +2\nz 1 2\nw 18446744073709551616\n\nfrozen 0\n");
  EXPECT_EQ(values.size(), 2u);
  EXPECT_EQ(values.at("populated"), 1u);
  EXPECT_EQ(values.at("frozen"), 0u);
}

TEST(CgroupFilesTest, AKeySeenTwiceKeepsItsFirstValue) {
  EXPECT_EQ(ParseFlatKeyed("frozen 1\nfrozen 0\n").at("frozen"), 1u);
}

TEST(CgroupFilesTest, ReadsASingleValue) {
  EXPECT_EQ(ParseSingleValue("8192\n"), 8192u);
  EXPECT_EQ(ParseSingleValue("18446744073709551615\n"), 18446744073709551615u);
  EXPECT_EQ(ParseSingleValue("max\n"), std::nullopt);
  EXPECT_EQ(ParseSingleValue(""), std::nullopt);
  EXPECT_EQ(ParseSingleValue("1 2\n"), std::nullopt);
}

TEST(CgroupFilesTest, ReadsAControllerList) {
  EXPECT_EQ(ParseControllerList("cpuset cpu io memory hugetlb pids\n"),
            (std::vector<std::string>{"cpuset", "cpu", "io", "memory", "hugetlb", "pids"}));
  EXPECT_TRUE(ParseControllerList("\n").empty());
  EXPECT_TRUE(ParseControllerList("").empty());
  EXPECT_EQ(FormatControllerList({"cpu", "memory"}), "cpu memory");
  EXPECT_EQ(FormatControllerList({}), "");
}

TEST(CgroupFilesTest, ReadsTheDelegateListAndSkipsWhatIsNoFileName) {
  EXPECT_EQ(ParseDelegateList("cgroup.procs\ncgroup.threads\ncgroup.subtree_control\nmemory.oom.group\n"),
            (std::vector<std::string>{"cgroup.procs", "cgroup.threads", "cgroup.subtree_control",
                                      "memory.oom.group"}));
  EXPECT_EQ(ParseDelegateList("../../etc/shadow\n.\n..\na b\n\x01x\n\ncgroup.procs"),
            (std::vector<std::string>{"cgroup.procs"}));
}

}  // namespace
}  // namespace uxc::kernel

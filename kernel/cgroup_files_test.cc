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

TEST(CgroupFilesTest, SumsTheBytesOfIoStatOverItsDevices) {
  IoTotals totals = ParseIoStat(
      "8:16 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0\n"
      "8:0 rbytes=90430464 wbytes=299008000 rios=8950 wios=1252 dbytes=50331648 dios=3021\n");
  EXPECT_EQ(totals.read_bytes, 1459200u + 90430464u);
  EXPECT_EQ(totals.written_bytes, 314773504u + 299008000u);
}

TEST(CgroupFilesTest, IoStatSkipsWhatIsNotKeyAndNumberAndNeverWraps) {
  EXPECT_EQ(ParseIoStat("").read_bytes, 0u);
  IoTotals odd = ParseIoStat("8:0 rbytes wbytes=x rbytes=-1 rbytes=7\nrbytes=5\n");
  EXPECT_EQ(odd.read_bytes, 7u);  // the first field of a line is its device
  EXPECT_EQ(odd.written_bytes, 0u);
  IoTotals huge = ParseIoStat("8:0 wbytes=18446744073709551615\n8:16 wbytes=2\n");
  EXPECT_EQ(huge.written_bytes, UINT64_MAX);
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

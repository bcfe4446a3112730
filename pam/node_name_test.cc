#include "pam/node_name.h"

#include <gtest/gtest.h>

namespace uxc::pam {
namespace {

TEST(NodeNameTest, TakesOrdinaryUserNames) {
  for (const char* name : {"alice", "john.doe", "uxct-pam_1", "user@example.org", "HOST$", "a"}) {
    EXPECT_EQ(NodeNameProblem(name), std::nullopt) << name;
  }
}

TEST(NodeNameTest, RefusesWhatWouldLeaveOrConfuseThePath) {
  EXPECT_EQ(NodeNameProblem(""), "it is empty");
  EXPECT_EQ(NodeNameProblem(".."), "it starts with '.' or '-'");
  EXPECT_EQ(NodeNameProblem("."), "it starts with '.' or '-'");
  EXPECT_EQ(NodeNameProblem("-rf"), "it starts with '.' or '-'");
  for (const char* name : {"../x", "a/b", "a\nb", "a b", "a\tb", "$", "a$b", "caf\xc3\xa9"}) {
    EXPECT_NE(NodeNameProblem(name), std::nullopt) << name;
  }
  EXPECT_NE(NodeNameProblem(std::string_view("a\0b", 3)), std::nullopt);
}

TEST(NodeNameTest, IsBounded) {
  EXPECT_EQ(NodeNameProblem(std::string(kMaxNodeName, 'a')), std::nullopt);
  EXPECT_EQ(NodeNameProblem(std::string(kMaxNodeName + 1, 'a')), "it is longer than 64 characters");
  EXPECT_NE(NodeNameProblem(std::string(300, 'a')), std::nullopt);
}

TEST(NodeNameTest, RefusesNamesOfCgroupInterfaceFiles) {
  for (const char* name : {"cgroup.procs", "memory.max", "cpu.weight", "pids.max", "io.pressure", "irq.pressure"}) {
    EXPECT_NE(NodeNameProblem(name), std::nullopt) << name;
  }
  EXPECT_EQ(NodeNameProblem("memoryx.max"), std::nullopt);
  EXPECT_EQ(NodeNameProblem("max.memory"), std::nullopt);
}

}  // namespace
}  // namespace uxc::pam

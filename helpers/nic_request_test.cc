#include "helpers/nic_request.h"

#include <gtest/gtest.h>

namespace uxc::helpers {
namespace {

Result<NicRequest> Parse(std::vector<std::string_view> args) { return ParseNicRequest(args); }

std::string ErrorOf(std::vector<std::string_view> args) {
  auto request = Parse(args);
  EXPECT_FALSE(request.ok());
  return request.ok() ? "" : request.error().ToString();
}

TEST(ParseNicRequestTest, CreateTakesLxcUserNicsArguments) {
  auto request = Parse({"create", "/home/a/.local/share/lxc", "c1", "1234", "veth", "uxcbr0", "eth1"});
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  EXPECT_EQ(request->command, NicCommand::kCreate);
  EXPECT_EQ(request->target.pid, 1234);
  EXPECT_EQ(request->bridge, "uxcbr0");
  EXPECT_EQ(request->nic_name, "eth1");
  auto unnamed = Parse({"create", "p", "c1", "fd:5", "veth", "none"});
  ASSERT_TRUE(unnamed.ok()) << unnamed.error().ToString();
  EXPECT_EQ(unnamed->target.fd, 5);
  EXPECT_EQ(unnamed->bridge, "none");
  EXPECT_EQ(unnamed->nic_name, "");
}

TEST(ParseNicRequestTest, DeleteAndList) {
  auto request = Parse({"delete", "p", "c1", "/proc/9/ns/net", "veth", "uxcbr0", "veth1000_abcd"});
  ASSERT_TRUE(request.ok()) << request.error().ToString();
  EXPECT_EQ(request->command, NicCommand::kDelete);
  EXPECT_EQ(request->netns_path, "/proc/9/ns/net");
  EXPECT_EQ(request->nic_name, "veth1000_abcd");
  auto list = Parse({"list"});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->command, NicCommand::kList);
}

TEST(ParseNicRequestTest, EachBadArgumentIsNamed) {
  EXPECT_EQ(ErrorOf({"create", "p", "c1", "1234", "macvlan", "br0"}),
            "nic type \"macvlan\" is not supported: uxc-user-nic creates veth pairs only");
  EXPECT_EQ(ErrorOf({"create", "p", "c1", "1234", "veth", "a/b"}),
            "the bridge \"a/b\" is not a valid interface name (1 to 15 bytes, no '/', ':' or blanks, not \".\" or "
            "\"..\")");
  EXPECT_NE(ErrorOf({"create", "p", "c1", "1234", "veth", "br0", "0123456789abcdef"}).find("the container's nic name"),
            std::string::npos);
  EXPECT_NE(ErrorOf({"create", "p", "c1", "wait:3", "veth", "br0"}).find("not \"wait:3\""), std::string::npos);
  EXPECT_NE(ErrorOf({"create", "p", "c1", "-1", "veth", "br0"}).find("the target pid"), std::string::npos);
  EXPECT_NE(ErrorOf({"create", "p", "c1", "1"}).find("3 arguments after create"), std::string::npos);
  EXPECT_NE(ErrorOf({"delete", "p", "c1", "", "veth", "br0", "v"}).find("empty network namespace path"),
            std::string::npos);
  EXPECT_EQ(ErrorOf({"list", "x"}), "list takes no arguments");
  EXPECT_NE(ErrorOf({"remove"}).find("unknown command \"remove\""), std::string::npos);
  EXPECT_NE(ErrorOf({}).find("no command"), std::string::npos);
}

TEST(NicTargetFdArgumentTest, OnlyACreatesFdTarget) {
  const char* create[] = {"uxc-user-nic", "create", "p", "c", "fd:7", "veth", "br0", nullptr};
  EXPECT_EQ(NicTargetFdArgument(7, const_cast<char**>(create)), 7);
  const char* pid[] = {"uxc-user-nic", "create", "p", "c", "77", "veth", "br0", nullptr};
  EXPECT_EQ(NicTargetFdArgument(7, const_cast<char**>(pid)), -1);
  const char* del[] = {"uxc-user-nic", "delete", "p", "c", "fd:7", "veth", "br0", "v", nullptr};
  EXPECT_EQ(NicTargetFdArgument(8, const_cast<char**>(del)), -1);
  const char* shorter[] = {"uxc-user-nic", "create", nullptr};
  EXPECT_EQ(NicTargetFdArgument(2, const_cast<char**>(shorter)), -1);
}

}  // namespace
}  // namespace uxc::helpers

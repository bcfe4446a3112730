#include "config/nic_quota.h"

#include <gtest/gtest.h>

namespace uxc::config {
namespace {

std::vector<UsernetEntry> Usernet(std::string_view text) { return *ParseUsernetText(text, "usernet"); }

NicRecord Nic(const std::string& owner, int ifindex) {
  return {owner, "veth", "br0", "veth" + std::to_string(ifindex), ifindex, 1000};
}

TEST(QuotaOwnersTest, SumsLinesOfTheSameOwnerAndCountsUse) {
  auto usernet = Usernet("alice veth br0 2\n@net veth br0 5\nalice veth br0 3\n");
  UsernetAllowance allowance = AllowanceFor(usernet, "alice", {"net"}, "veth", "br0");
  std::vector<QuotaOwner> owners = QuotaOwners(allowance, {Nic("alice", 1), Nic("@net", 2), Nic("@net", 3)});
  ASSERT_EQ(owners.size(), 2u);
  EXPECT_EQ(owners[0].owner, "alice");
  EXPECT_EQ(owners[0].capacity, 5u);  // both alice lines, unlike LXC (docs/usernet.md)
  EXPECT_EQ(owners[0].used, 1u);
  EXPECT_EQ(owners[1].owner, "@net");
  EXPECT_EQ(owners[1].capacity, 5u);
  EXPECT_EQ(owners[1].used, 2u);
}

TEST(OwnerWithRoomTest, ChargesTheFirstOwnerWithRoomInFileOrder) {
  auto usernet = Usernet("alice veth br0 1\n@net veth br0 1\n");
  UsernetAllowance allowance = AllowanceFor(usernet, "alice", {"net"}, "veth", "br0");
  EXPECT_EQ(OwnerWithRoom(allowance, {}), "alice");
  EXPECT_EQ(OwnerWithRoom(allowance, {Nic("alice", 1)}), "@net");
  EXPECT_EQ(OwnerWithRoom(allowance, {Nic("alice", 1), Nic("@net", 2)}), std::nullopt);
}

TEST(OwnerWithRoomTest, GroupQuotaIsSharedByItsMembers) {
  auto usernet = Usernet("@net veth br0 2\n");
  UsernetAllowance bob = AllowanceFor(usernet, "bob", {"net"}, "veth", "br0");
  // Two nics charged to @net by other members leave none for bob.
  EXPECT_EQ(OwnerWithRoom(bob, {Nic("@net", 1), Nic("@net", 2)}), std::nullopt);
  EXPECT_EQ(OwnerWithRoom(bob, {Nic("@net", 1), Nic("alice", 2)}), "@net");
}

TEST(OwnerWithRoomTest, NoLinesOrZeroCountMeansNoRoom) {
  auto usernet = Usernet("alice veth br0 0\n");
  EXPECT_EQ(OwnerWithRoom(AllowanceFor(usernet, "alice", {}, "veth", "br0"), {}), std::nullopt);
  EXPECT_EQ(OwnerWithRoom(AllowanceFor(usernet, "bob", {}, "veth", "br0"), {}), std::nullopt);
}

TEST(OwnerWithRoomTest, CulledRecordsFreeTheirQuota) {
  auto usernet = Usernet("alice veth br0 1\n");
  UsernetAllowance allowance = AllowanceFor(usernet, "alice", {}, "veth", "br0");
  std::vector<NicRecord> records = {Nic("alice", 7)};
  EXPECT_EQ(OwnerWithRoom(allowance, records), std::nullopt);
  std::vector<NicRecord> live = LiveRecords(records, [](const NicRecord&) { return false; });
  EXPECT_EQ(OwnerWithRoom(allowance, live), "alice");
}

}  // namespace
}  // namespace uxc::config

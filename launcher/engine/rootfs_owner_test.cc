#include "launcher/engine/rootfs_owner.h"

#include <unistd.h>

#include "gtest/gtest.h"

namespace uxc::launcher {
namespace {

constexpr uint32_t kStart = 100000;

Caller Alice() { return Caller{1000, 1000, "alice"}; }

IdMapPlan Range(uint32_t start) { return IdMapPlan{{{0, start, 65536}}, {{0, start, 65536}}, ""}; }

IdMapPlan OwnIdsOnly() { return DefaultIdMap(Alice(), std::nullopt, std::nullopt); }

TEST(RootfsOwnerTest, RootOfTheRangeFits) {
  EXPECT_TRUE(CheckDefaultMapsFitRootfs("/r", {kStart, kStart}, Range(kStart), Alice()).ok());
}

TEST(RootfsOwnerTest, AUserOwnedRootfsFitsAnyMap) {
  EXPECT_TRUE(CheckDefaultMapsFitRootfs("/r", {1000, 1000}, OwnIdsOnly(), Alice()).ok());
  EXPECT_TRUE(CheckDefaultMapsFitRootfs("/r", {1000, 1000}, Range(kStart), Alice()).ok());
  // A group the user chose (a setgid parent) does not matter on their own tree.
  EXPECT_TRUE(CheckDefaultMapsFitRootfs("/r", {1000, 100}, Range(kStart), Alice()).ok());
}

TEST(RootfsOwnerTest, AHostRootTreeFits) {
  EXPECT_TRUE(CheckDefaultMapsFitRootfs("/r", {0, 0}, OwnIdsOnly(), Alice()).ok());
}

TEST(RootfsOwnerTest, ALostEntryIsRefusedWithTheRangeToGiveBack) {
  Status status = CheckDefaultMapsFitRootfs("/c/rootfs", {kStart, kStart}, OwnIdsOnly(), Alice());
  ASSERT_FALSE(status.ok());
  const std::string message = status.error().ToString();
  EXPECT_NE(message.find("the rootfs /c/rootfs is owned by host uid 100000, but you have no /etc/subuid entry "
                         "now, so container root would be your own uid 1000"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("host gid 100000, but you have no /etc/subgid entry now"), std::string::npos) << message;
  EXPECT_NE(message.find("`usermod --add-subuids 100000-165535 --add-subgids 100000-165535 alice`"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("chown"), std::string::npos) << message;
}

TEST(RootfsOwnerTest, AMovedRangeIsRefused) {
  Status status = CheckDefaultMapsFitRootfs("/c/rootfs", {kStart, kStart}, Range(300000), Alice());
  ASSERT_FALSE(status.ok());
  const std::string message = status.error().ToString();
  EXPECT_NE(message.find("host uid 100000, which is no longer in your subordinate range (/etc/subuid gives you "
                         "300000-365535 now)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("--add-subuids 100000-165535"), std::string::npos) << message;
}

TEST(RootfsOwnerTest, ARangeThatMovedWithinItselfIsRefused) {
  Status status = CheckDefaultMapsFitRootfs("/r", {kStart + 10, kStart + 10}, Range(kStart), Alice());
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().ToString().find("no longer the first id of your subordinate range"), std::string::npos)
      << status.error().ToString();
}

TEST(RootfsOwnerTest, OnlyTheGidMapLostNamesOnlyTheGid) {
  IdMapPlan maps = DefaultIdMap(Alice(), SubordinateRange{kStart, 65536}, std::nullopt);
  Status status = CheckDefaultMapsFitRootfs("/r", {kStart, kStart}, maps, Alice());
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().ToString().find("/etc/subuid"), std::string::npos) << status.error().ToString();
  EXPECT_NE(status.error().ToString().find("`usermod --add-subgids 100000-165535 alice`"), std::string::npos)
      << status.error().ToString();
}

TEST(RootfsOwnerTest, StatReadsTheOwner) {
  auto owner = StatRootfsOwner("/");
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(owner->uid, 0u);
  EXPECT_FALSE(StatRootfsOwner("/nonexistent/rootfs").ok());
}

}  // namespace
}  // namespace uxc::launcher

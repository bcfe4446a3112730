#include "launcher/templates/tree_ownership.h"

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

UsernsIds Ids(uint32_t count) { return UsernsIds{1000, 1001, {600000, count}, {700000, count}}; }

TEST(OwnershipProbeMapsTest, OwnIdsOnlyWithoutARange) {
  auto maps = OwnershipProbeMaps(1000, 1001, std::nullopt, {});
  ASSERT_TRUE(maps.ok()) << maps.error().ToString();
  EXPECT_EQ(*maps, (std::vector<std::string>{"u:0:1000:1", "g:0:1001:1"}));
}

TEST(OwnershipProbeMapsTest, ARangeThatHoldsTheOverflowIdGoesAboveIt) {
  auto maps = OwnershipProbeMaps(1000, 1001, Ids(65536), {});
  ASSERT_TRUE(maps.ok()) << maps.error().ToString();
  EXPECT_EQ(*maps, (std::vector<std::string>{"u:0:1000:1", "g:0:1001:1", "u:65535:600000:65536",
                                             "g:65535:700000:65536"}));
}

TEST(OwnershipProbeMapsTest, ASmallRangeStaysBelowTheOverflowId) {
  auto maps = OwnershipProbeMaps(1000, 1001, Ids(1000), {});
  ASSERT_TRUE(maps.ok()) << maps.error().ToString();
  EXPECT_EQ((*maps)[2], "u:1:600000:1000");
  EXPECT_EQ((*maps)[3], "g:1:700000:1000");
}

TEST(OwnershipProbeMapsTest, NoMappedIdReadsAsTheOverflowId) {
  for (uint32_t count : {1u, 65533u, 65534u, 65535u, 65536u, 1000000u}) {
    auto maps = OwnershipProbeMaps(1000, 1001, Ids(count), {});
    ASSERT_TRUE(maps.ok()) << count;
    for (const std::string& map : *maps) {
      unsigned long inside = 0, outside = 0, n = 0;
      ASSERT_EQ(sscanf(map.c_str() + 2, "%lu:%lu:%lu", &inside, &outside, &n), 3) << map;
      EXPECT_FALSE(inside <= 65534 && 65534 < inside + n) << map << " maps the overflow id";
    }
  }
}

TEST(OwnershipProbeMapsTest, ARangeTooLargeToPlaceIsAnError) {
  auto maps = OwnershipProbeMaps(1000, 1001, Ids(4294960000u), {});
  ASSERT_FALSE(maps.ok());
  EXPECT_NE(maps.error().message.find("/etc/subuid range"), std::string::npos) << maps.error().message;
}

}  // namespace
}  // namespace uxc::templates

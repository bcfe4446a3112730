#include "helpers/map_policy.h"

#include "gtest/gtest.h"

namespace uxc::helpers {
namespace {

MapPolicy Alice(const std::string& subuid) {
  MapPolicy policy;
  policy.file = "/etc/subuid";
  policy.user = "alice";
  policy.own_id = 1000;
  auto entries = config::ParseSubidText(subuid, policy.file);
  EXPECT_TRUE(entries.ok());
  policy.granted = config::RangesFor(*entries, "alice", 1000);
  return policy;
}

TEST(AuthorizeRanges, SubordinateRangeAndOwnId) {
  auto from_subid = AuthorizeRanges(Alice("alice:100000:65536\n"), {{0, 100000, 65536}, {65536, 1000, 1}});
  ASSERT_TRUE(from_subid.ok()) << from_subid.error().message;
  EXPECT_EQ(*from_subid, (std::vector<bool>{true, false}));
}

TEST(AuthorizeRanges, ChainsAdjacentEntries) {
  EXPECT_TRUE(AuthorizeRanges(Alice("alice:100000:10\nalice:100010:10\n"), {{0, 100000, 20}}).ok());
}

TEST(AuthorizeRanges, SaysWhatTheUserHas) {
  auto from_subid = AuthorizeRanges(Alice("alice:100000:65536\n"), {{0, 100000, 65537}});
  ASSERT_FALSE(from_subid.ok());
  EXPECT_EQ(from_subid.error().message,
            "0 100000 65537 is not covered by /etc/subuid for alice (alice has 100000:65536; own uid 1000 with "
            "count 1)");
  EXPECT_EQ(from_subid.error().hint, "ask root for a larger range");
}

TEST(AuthorizeRanges, OwnIdOnlyWithCountOne) {
  EXPECT_FALSE(AuthorizeRanges(Alice("alice:100000:65536\n"), {{0, 1000, 2}}).ok());
  EXPECT_FALSE(AuthorizeRanges(Alice("alice:100000:65536\n"), {{0, 999, 2}}).ok());
}

TEST(AuthorizeRanges, OtherUsersEntriesDoNotCount) {
  auto from_subid = AuthorizeRanges(Alice("bob:100000:65536\n"), {{0, 100000, 1}});
  ASSERT_FALSE(from_subid.ok());
  EXPECT_NE(from_subid.error().hint.find("usermod --add-subuids 100000-165535 alice"), std::string::npos);
}

TEST(AuthorizeRanges, MissingFileStillAllowsOwnId) {
  MapPolicy policy = Alice("");
  policy.file_missing = true;
  EXPECT_TRUE(AuthorizeRanges(policy, {{0, 1000, 1}}).ok());
  auto refused = AuthorizeRanges(policy, {{0, 100000, 1}});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("does not exist"), std::string::npos);
}

TEST(PasswdNamesForUid, FindsEveryNameOfTheUid) {
  std::string passwd =
      "root:x:0:0:root:/root:/bin/bash\n"
      "alice:x:1000:1000::/home/alice:/bin/sh\n"
      "+nis::1000:1000:::\n"
      "alias:x:1000:1000::/home/alice:/bin/sh\n"
      "broken line\n"
      ":x:1000:1000:::\n"
      "bob:x:10000:10000::/home/bob:/bin/sh";
  EXPECT_EQ(PasswdNamesForUid(passwd, 1000), (std::vector<std::string>{"alice", "alias"}));
  EXPECT_EQ(PasswdNamesForUid(passwd, 10000), (std::vector<std::string>{"bob"}));
  EXPECT_TRUE(PasswdNamesForUid(passwd, 1).empty());
}

TEST(GroupNamesForGids, NamesEachGidOnceInTheOrderAsked) {
  std::string group =
      "root:x:0:\n"
      "netusers:x:2000:alice,bob\n"
      "users:x:100:\n"
      "alias:x:2000:\n"
      "broken\n";
  EXPECT_EQ(GroupNamesForGids(group, {100, 2000, 100}), (std::vector<std::string>{"users", "netusers", "alias"}));
  EXPECT_TRUE(GroupNamesForGids(group, {5}).empty());
}

}  // namespace
}  // namespace uxc::helpers

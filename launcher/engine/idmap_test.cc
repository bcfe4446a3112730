#include "launcher/engine/idmap.h"

#include <gtest/gtest.h>

#include "config/free_subid_range.h"

namespace uxc::launcher {
namespace {

Caller Alice() { return Caller{1001, 1002, "alice"}; }

TEST(DefaultIdMapTest, MapsTheFirstRangesAtZero) {
  IdMapPlan plan =
      DefaultIdMap(Alice(), SubordinateRange{100000, 65536}, SubordinateRange{200000, 1000});
  EXPECT_EQ(plan.uids, (std::vector<IdMapLine>{{0, 100000, 65536}}));
  EXPECT_EQ(plan.gids, (std::vector<IdMapLine>{{0, 200000, 1000}}));
  EXPECT_EQ(plan.note, "");
}

TEST(DefaultIdMapTest, FallsBackToOwnIdsWithANoteThatSaysHowToGetARange) {
  IdMapPlan plan = DefaultIdMap(Alice(), std::nullopt, std::nullopt);
  EXPECT_EQ(plan.uids, (std::vector<IdMapLine>{{0, 1001, 1}}));
  EXPECT_EQ(plan.gids, (std::vector<IdMapLine>{{0, 1002, 1}}));
  EXPECT_NE(plan.note.find("/etc/subuid and /etc/subgid have no range for alice"),
            std::string::npos);
  // A range free on this host (config/free_subid_range_test.cc tests the choice).
  std::string free = config::FreeSubidRangeOnThisHost("alice", 1001);
  EXPECT_NE(plan.note.find("usermod --add-subuids " + free + " --add-subgids " + free + " alice"),
            std::string::npos)
      << plan.note;
}

TEST(DefaultIdMapTest, NamesOnlyTheMissingFile) {
  IdMapPlan plan = DefaultIdMap(Alice(), SubordinateRange{100000, 65536}, std::nullopt);
  EXPECT_EQ(plan.uids, (std::vector<IdMapLine>{{0, 100000, 65536}}));
  EXPECT_EQ(plan.gids, (std::vector<IdMapLine>{{0, 1002, 1}}));
  EXPECT_NE(plan.note.find("/etc/subgid has no range"), std::string::npos);
  EXPECT_NE(plan.note.find("own gid is mapped"), std::string::npos);
}

TEST(PlanFromMappingsTest, SplitsBothIntoUidsAndGids) {
  using Kind = config::IdMapping::Kind;
  IdMapPlan plan = PlanFromMappings(
      {{Kind::kUid, 0, 100000, 65536}, {Kind::kGid, 0, 300000, 10}, {Kind::kBoth, 65536, 1001, 1}});
  EXPECT_EQ(plan.uids, (std::vector<IdMapLine>{{0, 100000, 65536}, {65536, 1001, 1}}));
  EXPECT_EQ(plan.gids, (std::vector<IdMapLine>{{0, 300000, 10}, {65536, 1001, 1}}));
}

TEST(AddOwnIdsTest, AddsAtTheFirstFreeInsideId) {
  IdMapPlan plan =
      DefaultIdMap(Alice(), SubordinateRange{100000, 65536}, SubordinateRange{100000, 65536});
  AddOwnIds(Alice(), &plan);
  EXPECT_EQ(plan.uids, (std::vector<IdMapLine>{{0, 100000, 65536}, {65536, 1001, 1}}));
  EXPECT_EQ(plan.gids, (std::vector<IdMapLine>{{0, 100000, 65536}, {65536, 1002, 1}}));
}

TEST(AddOwnIdsTest, DoesNotMapAnIdTwice) {
  IdMapPlan plan = DefaultIdMap(Alice(), std::nullopt, std::nullopt);
  AddOwnIds(Alice(), &plan);
  EXPECT_EQ(plan.uids.size(), 1u);
  EXPECT_EQ(plan.gids.size(), 1u);
}

TEST(OutsideIdOfTest, FindsTheLineThatCoversTheId) {
  std::vector<IdMapLine> lines = {{0, 100000, 1000}, {1000, 5000, 1}};
  EXPECT_EQ(OutsideIdOf(lines, 0), 100000u);
  EXPECT_EQ(OutsideIdOf(lines, 999), 100999u);
  EXPECT_EQ(OutsideIdOf(lines, 1000), 5000u);
  EXPECT_EQ(OutsideIdOf(lines, 1001), std::nullopt);
}

TEST(CanWriteDirectlyTest, OnlyOneLineOfTheCallersOwnIdWithoutHelpers) {
  EXPECT_TRUE(CanWriteDirectly({{0, 1001, 1}}, 1001, false));
  EXPECT_FALSE(CanWriteDirectly({{0, 1001, 2}}, 1001, false));
  EXPECT_FALSE(CanWriteDirectly({{0, 1000, 1}}, 1001, false));
  EXPECT_FALSE(CanWriteDirectly({{0, 1001, 1}, {1, 100000, 10}}, 1001, false));
  EXPECT_TRUE(CanWriteDirectly({{0, 100000, 65536}}, 0, true));
}

TEST(FormatMapFileTest, OneLinePerMapping) {
  EXPECT_EQ(FormatMapFile({{0, 100000, 65536}, {65536, 1001, 1}}),
            "0 100000 65536\n65536 1001 1\n");
}

TEST(HelperCommandTest, PairTakesTriples) {
  EXPECT_EQ(IdMapHelperCommand("/b/uxc-newuidmap", 42, {{0, 100000, 65536}, {65536, 1001, 1}}),
            (std::vector<std::string>{"/b/uxc-newuidmap", "42", "0", "100000", "65536", "65536",
                                      "1001", "1"}));
}

TEST(HelperCommandTest, CombinedHelperTakesUidThenGidRanges) {
  IdMapPlan plan;
  plan.uids = {{0, 100000, 65536}, {65536, 1001, 1}};
  plan.gids = {{0, 200000, 1000}};
  EXPECT_EQ(IdMapsHelperCommand("/b/uxc-newidmap", 42, plan),
            (std::vector<std::string>{"/b/uxc-newidmap", "42", "u", "0", "100000", "65536", "u",
                                      "65536", "1001", "1", "g", "0", "200000", "1000"}));
}

TEST(HelperCommandTest, EarlyCombinedHelperWaitsOnItsPipe) {
  IdMapPlan plan;
  plan.uids = {{0, 100000, 65536}};
  plan.gids = {{0, 200000, 1000}, {1000, 1001, 1}};
  EXPECT_EQ(DeferredIdMapsHelperCommand("/b/uxc-newidmap", 5, plan),
            (std::vector<std::string>{"/b/uxc-newidmap", "wait:5", "u", "0", "100000", "65536", "g",
                                      "0", "200000", "1000", "g", "1000", "1001", "1"}));
}

}  // namespace
}  // namespace uxc::launcher

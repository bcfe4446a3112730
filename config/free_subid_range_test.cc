#include "config/free_subid_range.h"

#include <gtest/gtest.h>

namespace uxc::config {
namespace {

TEST(FreeSubidRange, TheLowestGapInBothFiles) {
  std::vector<SubidRange> subuid = {{"alice", 100000, 65536, 1}, {"bob", 165536, 65536, 2}};
  std::vector<SubidRange> subgid = {{"alice", 100000, 65536, 1}, {"carol", 300000, 10, 2}};
  EXPECT_EQ(FreeSubidRange({subuid, subgid}), "231072-296607");
  subgid.push_back({"dave", 250000, 1, 3});
  EXPECT_EQ(FreeSubidRange({subuid, subgid}), "300010-365545");
  EXPECT_EQ(FreeSubidRange({subuid}), "231072-296607");
}

TEST(FreeSubidRange, UseraddsFloorWhenNothingIsGranted) {
  EXPECT_EQ(FreeSubidRange({}), "100000-165535");
  EXPECT_EQ(FreeSubidRange({{{"low", 1000, 10, 1}}}), "100000-165535");
  EXPECT_EQ(FreeSubidRange({}, 10), "100000-100009");
  EXPECT_EQ(FreeSubidRange({{{"far", 400000, 10, 1}}}), "100000-165535");
}

TEST(FreeSubidRange, TheCallersOwnEntriesDoNotPushTheHintUp) {
  std::vector<SubidRange> subgid = {{"alice", 100000, 65536, 1}, {"1001", 165536, 65536, 2}};
  EXPECT_EQ(FreeSubidRange({OthersRanges(subgid, "alice", 1000)}), "100000-165535");
  EXPECT_EQ(FreeSubidRange({OthersRanges(subgid, "bob", 1001)}), "165536-231071");
}

}  // namespace
}  // namespace uxc::config

#include "launcher/cli/search_permission.h"

#include <gtest/gtest.h>

namespace uxc::cli {
namespace {

constexpr uid_t kRoot = 100000;  // container root's host uid and gid
using Tag = AclEntry::Tag;

DirectoryFacts Home(mode_t mode) { return {"/home/alice", 1000, 1000, mode, {}}; }

TEST(MaySearch, ModeBitsAloneAsInDebiansDefaultHomes) {
  EXPECT_FALSE(MaySearch(Home(0700), kRoot, kRoot));
  EXPECT_FALSE(MaySearch(Home(0750), kRoot, kRoot));
  EXPECT_TRUE(MaySearch(Home(0711), kRoot, kRoot));
  EXPECT_TRUE(MaySearch(Home(0755), kRoot, kRoot));
  EXPECT_TRUE(MaySearch({"/srv/c", kRoot, 0, 0700, {}}, kRoot, kRoot));
  EXPECT_TRUE(MaySearch({"/srv/c", 0, kRoot, 0710, {}}, kRoot, kRoot));
}

TEST(MaySearch, ANamedUserEntryLimitedByTheMask) {
  DirectoryFacts dir = Home(0710);  // with an ACL, the group bits show the mask
  dir.acl = {{Tag::kUser, kRoot, true}, {Tag::kOwningGroup, 0, false}, {Tag::kMask, 0, true}};
  EXPECT_TRUE(MaySearch(dir, kRoot, kRoot));
  dir.acl.back().execute = false;
  EXPECT_FALSE(MaySearch(dir, kRoot, kRoot));
}

TEST(MaySearch, ANamedUserEntryWithoutXDeniesEvenWhenOthersMay) {
  DirectoryFacts dir = Home(0755);
  dir.acl = {{Tag::kUser, kRoot, false}, {Tag::kOwningGroup, 0, true}, {Tag::kMask, 0, true}};
  EXPECT_FALSE(MaySearch(dir, kRoot, kRoot));
}

TEST(MaySearch, GroupEntries) {
  DirectoryFacts dir = Home(0700);
  dir.acl = {{Tag::kOwningGroup, 0, false}, {Tag::kGroup, kRoot, true}, {Tag::kMask, 0, true}};
  EXPECT_TRUE(MaySearch(dir, kRoot, kRoot));
  dir.acl[1].execute = false;
  dir.mode = 0701;
  EXPECT_FALSE(MaySearch(dir, kRoot, kRoot)) << "a matching group entry decides, not the other bits";
}

TEST(MaySearch, AnAclNamingSomeoneElseFallsToTheOtherBits) {
  DirectoryFacts dir = Home(0701);
  dir.acl = {{Tag::kUser, 4242, true}, {Tag::kOwningGroup, 0, false}, {Tag::kMask, 0, true}};
  EXPECT_TRUE(MaySearch(dir, kRoot, kRoot));
  dir.mode = 0700;
  EXPECT_FALSE(MaySearch(dir, kRoot, kRoot));
}

}  // namespace
}  // namespace uxc::cli

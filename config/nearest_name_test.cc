#include "config/nearest_name.h"

#include <gtest/gtest.h>

namespace uxc::config {
namespace {

const std::vector<std::string> kCommands = {"checkconfig", "config", "create", "destroy", "start", "stop"};

TEST(NearestNameTest, FindsAOneLetterTypo) { EXPECT_EQ(NearestName("chekconfig", kCommands), "checkconfig"); }

TEST(NearestNameTest, SwappedLettersCountAsOneEdit) { EXPECT_EQ(NearestName("tsop", kCommands), "stop"); }

TEST(NearestNameTest, APrefixSuggestsTheCommand) { EXPECT_EQ(NearestName("destr", kCommands), "destroy"); }

TEST(NearestNameTest, ExactNameIsItsOwnNearest) { EXPECT_EQ(NearestName("config", kCommands), "config"); }

TEST(NearestNameTest, NothingCloseGivesEmpty) { EXPECT_EQ(NearestName("frobnicate", kCommands), ""); }

TEST(NearestNameTest, EmptyWordOrNoCandidatesGiveEmpty) {
  EXPECT_EQ(NearestName("", kCommands), "");
  EXPECT_EQ(NearestName("stop", {}), "");
}

}  // namespace
}  // namespace uxc::config

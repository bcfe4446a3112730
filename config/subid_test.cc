#include "config/subid.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace uxc::config {
namespace {

std::vector<SubidRange> ParseOk(std::string_view text) {
  auto ranges = ParseSubidText(text, "/etc/subuid");
  EXPECT_TRUE(ranges.ok()) << ranges.error().ToString();
  return ranges.ok() ? *ranges : std::vector<SubidRange>{};
}

// Errors as alice (uid 1000) sees them: her own lines are quoted.
std::string ParseError(std::string_view text) {
  auto ranges = ParseSubidText(text, "/etc/subuid", QuotableLines{{"alice"}, 1000});
  EXPECT_FALSE(ranges.ok()) << "parsed: " << text;
  return ranges.ok() ? "" : ranges.error().message;
}

TEST(ParseSubidText, ReadsNamesAndUids) {
  auto ranges = ParseOk("alice:100000:65536\n1001:165536:65536\n");
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(ranges[0].owner, "alice");
  EXPECT_EQ(ranges[0].start, 100000u);
  EXPECT_EQ(ranges[0].count, 65536u);
  EXPECT_EQ(ranges[0].line, 1);
  EXPECT_EQ(ranges[1].owner, "1001");
  EXPECT_EQ(ranges[1].line, 2);
}

TEST(ParseSubidText, SkipsCommentsAndBlankLinesButCountsThem) {
  auto ranges = ParseOk("# granted by root\n\n   \nbob:200000:10\n");
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_EQ(ranges[0].line, 4);
}

TEST(ParseSubidText, AcceptsAMissingFinalNewline) {
  EXPECT_EQ(ParseOk("alice:100000:65536").size(), 1u);
  EXPECT_TRUE(ParseOk("").empty());
}

TEST(ParseSubidText, ErrorsNameFileAndLine) {
  EXPECT_EQ(ParseError("alice:100000:65536\nbob:1:2:3\n").rfind("/etc/subuid:2: ", 0), 0u);
}

TEST(ParseSubidText, RefusesWrongFieldCounts) {
  EXPECT_NE(ParseError("alice:100000\n").find("2 field(s), not 3"), std::string::npos);
  EXPECT_NE(ParseError("alice:1:2:3\n").find("4 field(s)"), std::string::npos);
}

TEST(ParseSubidText, RefusesNumbersShadowWouldReadDifferently) {
  EXPECT_NE(ParseError("alice:0100000:10\n").find("octal"), std::string::npos);
  EXPECT_NE(ParseError("alice:0x186a0:10\n").find("not a decimal"), std::string::npos);
  EXPECT_NE(ParseError("alice: 100000:10\n").find("not a decimal"), std::string::npos);
  EXPECT_NE(ParseError("alice:-1:10\n").find("not a decimal"), std::string::npos);
  EXPECT_NE(ParseError("alice:+5:10\n").find("not a decimal"), std::string::npos);
}

TEST(ParseSubidText, RefusesBlanksAndCarriageReturns) {
  EXPECT_NE(ParseError("alice:100000:10 \n").find("count"), std::string::npos);
  EXPECT_NE(ParseError("alice:100000:10\r\n").find("\\r"), std::string::npos);
  EXPECT_NE(ParseError(" alice:100000:10\n").find("blank"), std::string::npos);
}

TEST(ParseSubidText, RefusesEmptyFields) {
  EXPECT_NE(ParseError(":100000:10\n").find("owner is empty"), std::string::npos);
  EXPECT_NE(ParseError("alice::10\n").find("start"), std::string::npos);
  EXPECT_NE(ParseError("alice:10:\n").find("count"), std::string::npos);
}

TEST(ParseSubidText, RefusesCountZeroWhichOnceWrappedAround) {
  EXPECT_NE(ParseError("alice:0:0\n").find("count is 0"), std::string::npos);
}

TEST(ParseSubidText, RefusesRangesPastTheLastId) {
  EXPECT_EQ(ParseOk("alice:4294967294:1\n").size(), 1u);
  EXPECT_NE(ParseError("alice:4294967295:1\n").find("past 4294967294"), std::string::npos);
  EXPECT_NE(ParseError("alice:4294967295:2\n").find("past"), std::string::npos);
  EXPECT_NE(ParseError("alice:1:4294967295\n").find("past"), std::string::npos);
  EXPECT_NE(ParseError("alice:1:4294967296\n").find("larger than"), std::string::npos);
  EXPECT_NE(ParseError("alice:1:99999999999999999999\n").find("larger than"), std::string::npos);
}

TEST(ParseSubidText, RefusesInvalidNumericOwners) {
  EXPECT_NE(ParseError("4294967295:1:2\n").find("not a valid uid"), std::string::npos);
  EXPECT_NE(ParseError("01000:1:2\n").find("octal"), std::string::npos);
}

TEST(ParseSubidText, RefusesNulBytes) {
  EXPECT_NE(ParseError(std::string_view("alice:1:2\0\n", 11)).find("NUL"), std::string::npos);
}

TEST(ParseSubidText, QuotesOnlyTheCallersOwnLines) {
  EXPECT_NE(ParseError("alice:100000\n").find("\"alice:100000\""), std::string::npos);
  EXPECT_NE(ParseError("1000:x:1\n").find("\"x\""), std::string::npos);
  EXPECT_NE(ParseError("alice:1:4294967295\n").find("1:4294967295"), std::string::npos);
}

// /etc/subuid may be 0600; the setuid helpers parse it for any caller. A
// message about another user's line names file:line and the reason only.
TEST(ParseSubidText, NeverQuotesAnotherUsersLine) {
  const char* lines[] = {"bob:SECRET\n",         "bob:SECRET:1\n",      "bob:1:SECRET\n",
                         "bob:1:2:SECRET\n",     "bob SECRET:1:2\n",    "SECRET\n",
                         "bob:0777777:1\n",      "bob:4294967295:77777\n", "bob:1:477777777777\n",
                         "0777777:1:2\n",        "bob:77777:0\n",       "SECRET:1:2\r\n",
                         "alicex:SECRET\n",      ":SECRET:1\n"};
  for (const char* line : lines) {
    std::string error = ParseError(std::string("alice:1:2\n") + line);
    EXPECT_EQ(error.rfind("/etc/subuid:2: ", 0), 0u) << error;
    EXPECT_EQ(error.find("SECRET"), std::string::npos) << error;
    EXPECT_EQ(error.find("7777"), std::string::npos) << error;
    EXPECT_EQ(error.find("bob"), std::string::npos) << error;
  }
}

TEST(ParseSubidText, QuotesNoLineWithoutACaller) {
  auto ranges = ParseSubidText("alice:SECRET\n", "/etc/subuid");
  ASSERT_FALSE(ranges.ok());
  EXPECT_EQ(ranges.error().message.find("SECRET"), std::string::npos) << ranges.error().message;
}

TEST(RangesFor, MatchesNameOrDecimalUid) {
  auto ranges = ParseOk("alice:100000:10\nbob:200000:10\n1000:300000:10\n10000:400000:10\n");
  auto mine = RangesFor(ranges, "alice", 1000);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].start, 100000u);
  EXPECT_EQ(mine[1].start, 300000u);
  EXPECT_TRUE(RangesFor(ranges, "carol", 1001).empty());
  EXPECT_EQ(RangesFor(ranges, "", 1000).size(), 1u);
}

TEST(Covers, WholeRangeAndNotOnePastIt) {
  auto mine = ParseOk("alice:100000:65536\n");
  EXPECT_TRUE(Covers(mine, 100000, 65536));
  EXPECT_TRUE(Covers(mine, 165535, 1));
  EXPECT_FALSE(Covers(mine, 100000, 65537));
  EXPECT_FALSE(Covers(mine, 99999, 2));
  EXPECT_FALSE(Covers(mine, 165536, 1));
  EXPECT_FALSE(Covers(mine, 100000, 0));
}

TEST(Covers, ChainsAdjacentEntriesInAnyOrder) {
  auto mine = ParseOk("alice:300000:100\nalice:100000:100\nalice:100100:200000\n");
  EXPECT_TRUE(Covers(mine, 100000, 200100));
  EXPECT_TRUE(Covers(mine, 100050, 200050));
  EXPECT_FALSE(Covers(mine, 100050, 200051));
  EXPECT_FALSE(Covers(mine, 100000, 200101));
}

TEST(Covers, DoesNotBridgeAGap) {
  auto mine = ParseOk("alice:100000:10\nalice:100011:10\n");
  EXPECT_FALSE(Covers(mine, 100000, 21));
  EXPECT_TRUE(Covers(mine, 100011, 10));
}

TEST(Covers, HandlesOverlappingEntries) {
  auto mine = ParseOk("alice:100000:100\nalice:100050:100\n");
  EXPECT_TRUE(Covers(mine, 100000, 150));
  EXPECT_FALSE(Covers(mine, 100000, 151));
}

TEST(Covers, ReachesTheLastId) {
  auto mine = ParseOk("alice:4294967290:5\n");
  EXPECT_TRUE(Covers(mine, 4294967290, 5));
  EXPECT_FALSE(Covers(mine, 4294967290, 6));
}

TEST(DescribeRanges, ListsStartAndCount) {
  EXPECT_EQ(DescribeRanges(ParseOk("a:1:2\na:5:6\n")), "1:2, 5:6");
  EXPECT_EQ(DescribeRanges({}), "none");
}

class SubidFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = std::string(tmp ? tmp : "/tmp") + "/subid_test." + std::to_string(getpid());
    ASSERT_EQ(mkdir(dir_.c_str(), 0700), 0);
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string Write(const std::string& name, const std::string& content) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << content;
    return path;
  }
  std::string dir_;
};

TEST_F(SubidFileTest, ReadsARegularFile) {
  auto ranges = ParseSubidFile(Write("subuid", "alice:100000:65536\n"));
  ASSERT_TRUE(ranges.ok()) << ranges.error().ToString();
  EXPECT_EQ(ranges->size(), 1u);
}

TEST_F(SubidFileTest, NamesThePathInLineErrors) {
  std::string path = Write("subuid", "alice:x:1\n");
  auto ranges = ParseSubidFile(path);
  ASSERT_FALSE(ranges.ok());
  EXPECT_EQ(ranges.error().message.rfind(path + ":1: ", 0), 0u) << ranges.error().message;
}

TEST_F(SubidFileTest, MissingFileIsENOENT) {
  auto ranges = ParseSubidFile(dir_ + "/absent");
  ASSERT_FALSE(ranges.ok());
  EXPECT_EQ(ranges.error().errno_value, ENOENT);
}

TEST_F(SubidFileTest, RefusesASymlink) {
  std::string target = Write("real", "alice:100000:65536\n");
  std::string link = dir_ + "/subuid";
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);
  auto ranges = ParseSubidFile(link);
  ASSERT_FALSE(ranges.ok());
  EXPECT_EQ(ranges.error().errno_value, ELOOP);
}

TEST_F(SubidFileTest, RefusesADirectory) {
  auto ranges = ParseSubidFile(dir_);
  ASSERT_FALSE(ranges.ok());
  EXPECT_NE(ranges.error().message.find("not a regular file"), std::string::npos);
}

}  // namespace
}  // namespace uxc::config

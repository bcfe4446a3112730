#include "helpers/map_request.h"

#include "gtest/gtest.h"

namespace uxc::helpers {
namespace {

Result<MapRequest> Parse(std::vector<std::string_view> args) { return ParseMapRequest(args); }
Result<IdMapsRequest> ParseBoth(std::vector<std::string_view> args) { return ParseIdMapsRequest(args); }

// The message of a parse that must fail.
template <typename Request>
std::string ErrorOf(const Result<Request>& request) {
  EXPECT_FALSE(request.ok());
  return request.ok() ? "" : request.error().message;
}

std::string ParseError(std::vector<std::string_view> args) { return ErrorOf(Parse(args)); }
std::string ParseBothError(std::vector<std::string_view> args) { return ErrorOf(ParseBoth(args)); }

TEST(ParseMapRequest, ReadsAPidAndTriples) {
  auto request = Parse({"1234", "0", "100000", "65536", "65536", "1000", "1"});
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->target.pid, 1234);
  EXPECT_EQ(request->target.fd, -1);
  ASSERT_EQ(request->ranges.size(), 2u);
  EXPECT_EQ(request->ranges[0].inside, 0u);
  EXPECT_EQ(request->ranges[0].outside, 100000u);
  EXPECT_EQ(request->ranges[0].count, 65536u);
  EXPECT_EQ(request->ranges[1].inside, 65536u);
}

TEST(ParseMapRequest, ReadsAnFdTarget) {
  auto request = Parse({"fd:7", "0", "1000", "1"});
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->target.fd, 7);
  EXPECT_EQ(request->target.pid, 0);
}

TEST(ParseMapRequest, RefusesBadTargets) {
  EXPECT_NE(ParseError({"0", "0", "1", "1"}).find("pid 0"), std::string::npos);
  EXPECT_NE(ParseError({"-1", "0", "1", "1"}).find("not a decimal"), std::string::npos);
  EXPECT_NE(ParseError({"4194305", "0", "1", "1"}).find("larger than"), std::string::npos);
  EXPECT_NE(ParseError({"fd:", "0", "1", "1"}).find("not a decimal"), std::string::npos);
  EXPECT_NE(ParseError({"fd:2147483648", "0", "1", "1"}).find("larger than"), std::string::npos);
  EXPECT_NE(ParseError({"self", "0", "1", "1"}).find("not a decimal"), std::string::npos);
}

TEST(ParseMapRequest, RefusesMissingOrPartialTriples) {
  EXPECT_NE(ParseError({}).find("no target"), std::string::npos);
  EXPECT_NE(ParseError({"1"}).find("no ranges"), std::string::npos);
  EXPECT_EQ(ParseError({"1", "0", "1"}),
            "ranges come as <inside> <outside> <count>, but 2 arguments follow the target");
  EXPECT_NE(ParseError({"1", "0", "1", "1", "5"}).find("4 arguments"), std::string::npos);
}

TEST(ParseMapRequest, RefusesNonDecimalNumbers) {
  EXPECT_NE(ParseError({"1", "0x10", "1", "1"}).find("inside id \"0x10\" is not a decimal"), std::string::npos);
  EXPECT_NE(ParseError({"1", "0", "010", "1"}).find("leading 0"), std::string::npos);
  EXPECT_NE(ParseError({"1", "0", " 1", "1"}).find("not a decimal"), std::string::npos);
  EXPECT_NE(ParseError({"1", "0", "1", "+1"}).find("not a decimal"), std::string::npos);
  EXPECT_NE(ParseError({"1", "0", "1", "-1"}).find("not a decimal"), std::string::npos);
  EXPECT_NE(ParseError({"1", "0", "1", ""}).find("not a decimal"), std::string::npos);
  EXPECT_NE(ParseError({"1", "a", "1", "1"}).find("inside id"), std::string::npos);
}

TEST(ParseMapRequest, RefusesCountZeroAndOverflow) {
  EXPECT_NE(ParseError({"1", "0", "1000", "0"}).find("count 0"), std::string::npos);
  EXPECT_NE(ParseError({"1", "0", "4294967295", "1"}).find("larger than 4294967294"), std::string::npos);
  EXPECT_NE(ParseError({"1", "0", "4294967294", "2"}).find("runs past"), std::string::npos);
  EXPECT_NE(ParseError({"1", "4294967294", "0", "2"}).find("runs past"), std::string::npos);
  EXPECT_NE(ParseError({"1", "0", "1", "4294967296"}).find("larger than"), std::string::npos);
  EXPECT_NE(ParseError({"1", "0", "1", "99999999999999999999"}).find("larger than"), std::string::npos);
  EXPECT_TRUE(Parse({"1", "0", "4294967294", "1"}).ok());
  EXPECT_TRUE(Parse({"1", "0", "0", "4294967295"}).ok());
}

TEST(ParseMapRequest, RefusesMoreThan340Ranges) {
  std::vector<std::string> storage = {"1"};
  for (int i = 0; i < 341; ++i) {
    storage.push_back(std::to_string(i));
    storage.push_back(std::to_string(100000 + i));
    storage.push_back("1");
  }
  std::vector<std::string_view> args(storage.begin(), storage.end());
  EXPECT_NE(ParseError(args).find("at most 340"), std::string::npos);
  args.resize(1 + 340 * 3);
  EXPECT_TRUE(Parse(args).ok());
}

TEST(ParseIdMapsRequest, SortsRangesByKindInTheirOrder) {
  auto request = ParseBoth({"fd:5", "g", "0", "100000", "65536", "u", "0", "100000", "65536", "u", "65536", "1000",
                            "1", "g", "65536", "1000", "1"});
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->target.fd, 5);
  ASSERT_EQ(request->uids.size(), 2u);
  ASSERT_EQ(request->gids.size(), 2u);
  EXPECT_EQ(FormatMap(request->uids), "0 100000 65536\n65536 1000 1\n");
  EXPECT_EQ(FormatMap(request->gids), "0 100000 65536\n65536 1000 1\n");
}

TEST(ParseIdMapsRequest, ReadsAPid) {
  auto request = ParseBoth({"77", "u", "0", "1000", "1", "g", "0", "1000", "1"});
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->target.pid, 77);
  EXPECT_EQ(request->target.fd, -1);
}

TEST(ParseIdMapsRequest, NeedsBothKinds) {
  EXPECT_EQ(ParseBothError({"1", "u", "0", "1000", "1"}),
            "no g range given: uxc-newidmap writes both maps; add g <inside> <outside> <count>, or write the one "
            "map with uxc-newuidmap");
  EXPECT_NE(ParseBothError({"1", "g", "0", "1000", "1"}).find("no u range given"), std::string::npos);
  EXPECT_NE(ParseBothError({"1"}).find("no ranges given"), std::string::npos);
  EXPECT_NE(ParseBothError({}).find("no target"), std::string::npos);
}

TEST(ParseIdMapsRequest, RefusesBadKindsAndShapes) {
  EXPECT_EQ(ParseBothError({"1", "b", "0", "1000", "1", "g", "0", "1000", "1"}),
            "\"b\" is not u or g: each range starts with u (uids) or g (gids)");
  EXPECT_NE(ParseBothError({"1", "U", "0", "1000", "1"}).find("is not u or g"), std::string::npos);
  EXPECT_NE(ParseBothError({"1", "0", "1000", "1", "g"}).find("is not u or g"), std::string::npos);
  EXPECT_NE(ParseBothError({"1", "u", "0", "1000", "1", "g", "0", "1000"}).find("but 7 arguments"), std::string::npos);
  EXPECT_NE(ParseBothError({"1", "u", "0", "1000"}).find("u|g <inside> <outside> <count>"), std::string::npos);
}

TEST(ParseIdMapsRequest, NamesTheKindOfABadRange) {
  EXPECT_EQ(ParseBothError({"1", "u", "0", "1000", "1", "g", "0", "1000", "0"}),
            "g range: 0 1000 0 has count 0: a range maps at least one id");
  EXPECT_NE(ParseBothError({"1", "u", "0", "4294967294", "2", "g", "0", "1", "1"})
                .find("u range: 0 4294967294 2 runs past"),
            std::string::npos);
  EXPECT_NE(ParseBothError({"1", "u", "x", "1", "1", "g", "0", "1", "1"}).find("u range: inside id \"x\""),
            std::string::npos);
  EXPECT_NE(ParseBothError({"0", "u", "0", "1", "1", "g", "0", "1", "1"}).find("pid 0"), std::string::npos);
}

std::vector<std::string> Ranges(const char* kind, int count) {
  std::vector<std::string> words;
  for (int i = 0; i < count; ++i) {
    words.insert(words.end(), {kind, std::to_string(i), std::to_string(100000 + i), "1"});
  }
  return words;
}

TEST(ParseIdMapsRequest, AllowsAtMost340OfEachKind) {
  auto parse = [](std::vector<std::string> uids, std::vector<std::string> gids) {
    std::vector<std::string> storage = {"1"};
    storage.insert(storage.end(), uids.begin(), uids.end());
    storage.insert(storage.end(), gids.begin(), gids.end());
    std::vector<std::string_view> args(storage.begin(), storage.end());
    return ParseIdMapsRequest(args);
  };
  EXPECT_TRUE(parse(Ranges("u", 340), Ranges("g", 340)).ok());
  auto uids = parse(Ranges("u", 341), Ranges("g", 1));
  ASSERT_FALSE(uids.ok());
  EXPECT_EQ(uids.error().message, "341 u ranges given: the kernel accepts at most 340 lines in a map");
  auto gids = parse(Ranges("u", 1), Ranges("g", 341));
  ASSERT_FALSE(gids.ok());
  EXPECT_NE(gids.error().message.find("341 g ranges"), std::string::npos);
  auto all = parse(Ranges("u", 341), Ranges("g", 340));
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.error().message, "681 ranges given: the kernel accepts at most 340 lines in each of the two maps");
}

TEST(TargetFdArgument, OnlyForAValidFdFirstArgument) {
  char program[] = "uxc-newuidmap", fd[] = "fd:9", pid[] = "12", bad[] = "fd:9x", wait[] = "wait:4";
  char* with_fd[] = {program, fd, nullptr};
  char* with_wait[] = {program, wait, nullptr};
  char* with_pid[] = {program, pid, nullptr};
  char* with_bad[] = {program, bad, nullptr};
  char* none[] = {program, nullptr};
  EXPECT_EQ(TargetFdArgument(2, with_fd), 9);
  EXPECT_EQ(TargetFdArgument(2, with_wait), 4);
  EXPECT_EQ(TargetFdArgument(2, with_pid), -1);
  EXPECT_EQ(TargetFdArgument(2, with_bad), -1);
  EXPECT_EQ(TargetFdArgument(1, none), -1);
  EXPECT_EQ(TargetFdArgument(0, none), -1);
}

TEST(ParseIdMapsRequest, ReadsAWaitTarget) {
  auto request = ParseBoth({"wait:5", "u", "0", "100000", "65536", "g", "0", "100000", "65536"});
  ASSERT_TRUE(request.ok()) << request.error().message;
  EXPECT_EQ(request->target.wait_fd, 5);
  EXPECT_EQ(request->target.fd, -1);
  EXPECT_EQ(request->target.pid, 0);
  EXPECT_EQ(request->uids.size(), 1u);
  EXPECT_EQ(request->gids.size(), 1u);
}

TEST(ParseIdMapsRequest, RefusesBadWaitTargets) {
  EXPECT_NE(ParseBothError({"wait:", "u", "0", "1", "1", "g", "0", "1", "1"}).find("not a decimal"),
            std::string::npos);
  EXPECT_NE(ParseBothError({"wait:-3", "u", "0", "1", "1", "g", "0", "1", "1"}).find("not a decimal"),
            std::string::npos);
  EXPECT_NE(ParseBothError({"wait:03", "u", "0", "1", "1", "g", "0", "1", "1"}).find("leading 0"),
            std::string::npos);
  EXPECT_NE(ParseBothError({"wait:2147483648", "u", "0", "1", "1", "g", "0", "1", "1"}).find("larger than"),
            std::string::npos);
}

// Shadow's command line stays shadow's: the pair takes no wait:N.
TEST(ParseMapRequest, RefusesAWaitTarget) {
  EXPECT_EQ(ParseError({"wait:5", "0", "1000", "1"}),
            "wait:N is uxc-newidmap's form: give a process id or fd:N, or use uxc-newidmap");
}

TEST(ParsePidLine, ReadsOnePidAndItsNewline) {
  auto pid = ParsePidLine("1234\n");
  ASSERT_TRUE(pid.ok()) << pid.error().message;
  EXPECT_EQ(*pid, 1234);
  auto largest = ParsePidLine("4194304\n");
  ASSERT_TRUE(largest.ok());
  EXPECT_EQ(*largest, 4194304);
}

TEST(ParsePidLine, RefusesAnythingButOneLine) {
  auto error = [](std::string_view bytes) {
    auto pid = ParsePidLine(bytes);
    EXPECT_FALSE(pid.ok()) << "accepted " << bytes;
    return pid.ok() ? "" : pid.error().message;
  };
  EXPECT_EQ(error(""), "the pipe was closed before a pid was written to it (the start was given up)");
  EXPECT_EQ(error("1234"), "the pid \"1234\" has no newline: the pipe was closed after it");
  EXPECT_EQ(error("1234\n5678\n"), "more than one line was written to the pipe: write the pid and one newline only");
  EXPECT_EQ(error("1234\n\n"), "more than one line was written to the pipe: write the pid and one newline only");
  EXPECT_NE(error("\n").find("not a decimal number"), std::string::npos);
  EXPECT_NE(error("12 34\n").find("\"12 34\" is not a decimal number"), std::string::npos);
  EXPECT_NE(error("1234\r\n").find("\"1234\\r\" is not a decimal number"), std::string::npos);
  EXPECT_NE(error("+12\n").find("not a decimal number"), std::string::npos);
  EXPECT_NE(error("0x10\n").find("not a decimal number"), std::string::npos);
  EXPECT_NE(error("012\n").find("leading 0"), std::string::npos);
  EXPECT_EQ(error("0\n"), "the pid line \"0\" is not a process");
  EXPECT_NE(error("4194305\n").find("larger than 4194304"), std::string::npos);
  EXPECT_NE(error("1234567890123456").find("is longer than 15 characters"), std::string::npos);
  EXPECT_NE(error(std::string_view("12\0\n", 4)).find("\"12\\x00\" is not a decimal number"), std::string::npos);
}

TEST(CheckMapShape, AcceptsDisjointRanges) {
  EXPECT_TRUE(CheckMapShape({{0, 100000, 65536}, {65536, 1000, 1}}, 4096).ok());
  EXPECT_TRUE(CheckMapShape({{0, 100000, 10}, {10, 100010, 10}}, 4096).ok());
}

TEST(CheckMapShape, RefusesOverlapsInside) {
  auto status = CheckMapShape({{0, 100000, 10}, {5, 200000, 10}}, 4096);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "ranges 0 100000 10 and 5 200000 10 overlap inside the namespace: each inside id may be mapped once");
}

TEST(CheckMapShape, RefusesOverlapsOutside) {
  auto status = CheckMapShape({{100, 200009, 1}, {0, 200000, 10}}, 4096);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("overlap outside"), std::string::npos);
}

TEST(CheckMapShape, RefusesAMapOfAPageOrMore) {
  std::vector<IdRange> ranges;
  for (uint32_t i = 0; i < 200; ++i) ranges.push_back({1000000000u + i, 2000000000u + i, 1});
  auto status = CheckMapShape(ranges, 4096);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("less than 4096"), std::string::npos);
  ranges.resize(100);
  EXPECT_TRUE(CheckMapShape(ranges, 4096).ok());
}

TEST(FormatMap, OneLinePerRange) {
  EXPECT_EQ(FormatMap({{0, 100000, 65536}, {65536, 1000, 1}}), "0 100000 65536\n65536 1000 1\n");
}

}  // namespace
}  // namespace uxc::helpers

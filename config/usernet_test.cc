#include "config/usernet.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace uxc::config {
namespace {

constexpr char kSample[] =
    "# USER|@GROUP TYPE BRIDGE COUNT\n"
    "alice veth uxcbr0 2\n"
    "\n"
    "  @netusers\tveth  uxcbr0   10  \n"
    "alice veth lxcbr0 1\n"
    "bob veth none 3\n"
    "alice veth uxcbr0 1\n";

std::vector<UsernetEntry> MustParse(std::string_view text) {
  Result<std::vector<UsernetEntry>> entries = ParseUsernetText(text, "usernet");
  EXPECT_TRUE(entries.ok()) << entries.error().ToString();
  return entries.ok() ? *entries : std::vector<UsernetEntry>{};
}

// Errors as alice sees them: her own lines are quoted.
std::string ErrorOf(std::string_view text) {
  Result<std::vector<UsernetEntry>> entries = ParseUsernetText(text, "/etc/uxc/usernet", QuotableLines{{"alice"}, 1000});
  EXPECT_FALSE(entries.ok());
  return entries.ok() ? "" : entries.error().ToString();
}

const std::string kFormatHint = "; lines look like USER|@GROUP veth BRIDGE COUNT, e.g. \"alice veth uxcbr0 2\"";

TEST(ParseUsernetTest, ParsesEntriesWithLineNumbersSkippingCommentsAndBlanks) {
  std::vector<UsernetEntry> entries = MustParse(kSample);
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0].owner, "alice");
  EXPECT_EQ(entries[0].type, "veth");
  EXPECT_EQ(entries[0].bridge, "uxcbr0");
  EXPECT_EQ(entries[0].count, 2u);
  EXPECT_EQ(entries[0].line, 2);
  EXPECT_FALSE(entries[0].is_group());
  EXPECT_EQ(entries[1].owner, "@netusers");
  EXPECT_TRUE(entries[1].is_group());
  EXPECT_EQ(entries[1].count, 10u);
  EXPECT_EQ(entries[1].line, 4);
  EXPECT_EQ(entries[3].bridge, "none");
}

TEST(ParseUsernetTest, EmptyFileHasNoEntries) { EXPECT_TRUE(MustParse("# nobody\n\n").empty()); }

TEST(ParseUsernetTest, ZeroCountIsAllowed) { EXPECT_EQ(MustParse("alice veth br0 0\n")[0].count, 0u); }

TEST(ParseUsernetTest, WrongFieldCountIsAnError) {
  EXPECT_EQ(ErrorOf("alice veth br0\n"), "/etc/uxc/usernet:1: \"alice veth br0\" has 3 field(s), not 4" + kFormatHint);
  EXPECT_EQ(ErrorOf("\nalice veth br0 1 # two\n"),
            "/etc/uxc/usernet:2: \"alice veth br0 1 # two\" has 6 field(s), not 4" + kFormatHint);
}

TEST(ParseUsernetTest, OnlyVethIsSupported) {
  EXPECT_EQ(ErrorOf("alice macvlan br0 1\n"),
            "/etc/uxc/usernet:1: nic type \"macvlan\" is not supported: uxc-user-nic creates only veth pairs" +
                kFormatHint);
}

TEST(ParseUsernetTest, BadOwnerIsAnError) {
  EXPECT_EQ(ErrorOf("@ veth br0 1\n"), "/etc/uxc/usernet:1: the owner is not a user name or @group name" + kFormatHint);
  EXPECT_EQ(ErrorOf("a:b veth br0 1\n"),
            "/etc/uxc/usernet:1: the owner is not a user name or @group name" + kFormatHint);
}

// The file may be root-only and uxc-user-nic parses it for any caller: a
// message about another user's (or a group's) line names file:line and the
// reason only.
TEST(ParseUsernetTest, NeverQuotesAnotherUsersLine) {
  const char* lines[] = {"bob veth SECRET\n",      "bob veth br0 1 SECRET\n", "bob SECRET br0 1\n",
                         "bob veth SECRET/x 1\n",  "bob veth br0 SECRET\n",   "@grp veth br0 SECRET\n",
                         "SECRET:x veth br0 1\n",  "alicex veth br0 SECRET\n"};
  for (const char* line : lines) {
    std::string error = ErrorOf(std::string("alice veth br0 1\n") + line);
    EXPECT_EQ(error.rfind("/etc/uxc/usernet:2: ", 0), 0u) << error;
    EXPECT_EQ(error.find("SECRET"), std::string::npos) << error;
    EXPECT_EQ(error.find("bob"), std::string::npos) << error;
    EXPECT_EQ(error.find("grp"), std::string::npos) << error;
  }
}

TEST(ParseUsernetTest, BadBridgeNameIsAnError) {
  std::string expected_tail =
      " is not a valid bridge name (1-15 characters, no '/', ':' or blanks), nor \"none\"" + kFormatHint;
  EXPECT_EQ(ErrorOf("alice veth abcdefghijklmnop 1\n"), "/etc/uxc/usernet:1: \"abcdefghijklmnop\"" + expected_tail);
  EXPECT_EQ(ErrorOf("alice veth br/0 1\n"), "/etc/uxc/usernet:1: \"br/0\"" + expected_tail);
  EXPECT_EQ(ErrorOf("alice veth .. 1\n"), "/etc/uxc/usernet:1: \"..\"" + expected_tail);
}

TEST(ParseUsernetTest, BadCountIsAnError) {
  for (std::string count : {"-1", "two", "100001", "99999999999", "1.5"}) {
    EXPECT_EQ(ErrorOf("alice veth br0 " + count + "\n"),
              "/etc/uxc/usernet:1: the count \"" + count + "\" is not a number from 0 to 100000" + kFormatHint);
  }
}

TEST(ParseUsernetTest, NulByteIsAnError) {
  EXPECT_EQ(ErrorOf(std::string_view("alice veth br0 1\n\0", 18)),
            "/etc/uxc/usernet contains a NUL byte: it is not a text file; rewrite it");
}

TEST(ParseUsernetTest, ReadsFilesAndFds) {
  char path[] = "/tmp/uxc-usernet-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, kSample, sizeof kSample - 1), static_cast<ssize_t>(sizeof kSample - 1));
  ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
  Result<std::vector<UsernetEntry>> from_fd = ParseUsernetFd(fd, "usernet");
  Result<std::vector<UsernetEntry>> from_file = ParseUsernetFile(path);
  close(fd);
  unlink(path);
  ASSERT_TRUE(from_fd.ok()) << from_fd.error().ToString();
  ASSERT_TRUE(from_file.ok()) << from_file.error().ToString();
  EXPECT_EQ(from_fd->size(), 5u);
  EXPECT_EQ(from_file->size(), 5u);
}

TEST(ParseUsernetTest, MissingFileKeepsEnoent) {
  Result<std::vector<UsernetEntry>> entries = ParseUsernetFile("/nonexistent/usernet");
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.error().errno_value, ENOENT);
  EXPECT_EQ(entries.error().ToString(), "open /nonexistent/usernet: No such file or directory");
}

TEST(IsValidInterfaceNameTest, FollowsTheKernelsRules) {
  EXPECT_TRUE(IsValidInterfaceName("eth0"));
  EXPECT_TRUE(IsValidInterfaceName("abcdefghijklmno"));  // 15
  EXPECT_FALSE(IsValidInterfaceName("abcdefghijklmnop"));
  EXPECT_FALSE(IsValidInterfaceName(""));
  EXPECT_FALSE(IsValidInterfaceName("."));
  EXPECT_FALSE(IsValidInterfaceName("a b"));
  EXPECT_FALSE(IsValidInterfaceName("a:1"));
}

TEST(EntriesForTest, MatchesTheUserAndTheirGroupsOnly) {
  std::vector<UsernetEntry> entries = MustParse(kSample);
  std::vector<UsernetEntry> alice = EntriesFor(entries, "alice", {"alice", "netusers"});
  ASSERT_EQ(alice.size(), 4u);
  EXPECT_EQ(alice[1].owner, "@netusers");
  EXPECT_EQ(EntriesFor(entries, "alice", {}).size(), 3u);
  EXPECT_EQ(EntriesFor(entries, "carol", {"netusers"}).size(), 1u);
  EXPECT_TRUE(EntriesFor(entries, "carol", {"users"}).empty());
  EXPECT_TRUE(EntriesFor(entries, "netusers", {}).empty());  // a group line is not a user line
  EXPECT_TRUE(EntriesFor(entries, "@netusers", {}).empty());
}

TEST(AllowanceForTest, SumsEveryMatchingLineForTypeAndBridge) {
  std::vector<UsernetEntry> entries = MustParse(kSample);
  UsernetAllowance allowance = AllowanceFor(entries, "alice", {"netusers"}, "veth", "uxcbr0");
  EXPECT_EQ(allowance.total, 13u);
  ASSERT_EQ(allowance.entries.size(), 3u);
  EXPECT_EQ(allowance.entries[2].line, 7);
  EXPECT_EQ(AllowanceFor(entries, "alice", {}, "veth", "lxcbr0").total, 1u);
  EXPECT_EQ(AllowanceFor(entries, "alice", {}, "veth", "br9").total, 0u);
  EXPECT_EQ(AllowanceFor(entries, "bob", {}, "veth", "none").total, 3u);
}

TEST(DescribeEntriesTest, ListsLinesOrSaysNone) {
  EXPECT_EQ(DescribeEntries({}), "none");
  EXPECT_EQ(DescribeEntries(MustParse("alice veth br0 2\n@g veth none 1\n")),
            "alice veth br0 2 (line 1), @g veth none 1 (line 2)");
}

}  // namespace
}  // namespace uxc::config

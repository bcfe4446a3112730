#include "config/nic_db.h"

#include <gtest/gtest.h>

namespace uxc::config {
namespace {

constexpr char kSample[] =
    "alice veth uxcbr0 veth1000_a1B2 731 1000\n"
    "@net veth uxcbr0 veth1001_zZ9q 733 1001\n"
    "alice veth none veth1000_QQQQ 740 1000\n";

std::vector<NicRecord> MustParse(std::string_view text) {
  Result<std::vector<NicRecord>> records = ParseNicDb(text, "nics");
  EXPECT_TRUE(records.ok()) << records.error().ToString();
  return records.ok() ? *records : std::vector<NicRecord>{};
}

// Errors as user "a" (or "alice", uid 1) sees them: their own lines are quoted.
std::string ErrorOf(std::string_view text) {
  Result<std::vector<NicRecord>> records = ParseNicDb(text, "/run/uxc/nics", QuotableLines{{"a", "alice"}, 1});
  EXPECT_FALSE(records.ok());
  return records.ok() ? "" : records.error().ToString();
}

const std::string kFixHint =
    "; the file is written only by uxc-user-nic: remove the line, or the file when no container has a nic";

TEST(ParseNicDbTest, ParsesEveryField) {
  std::vector<NicRecord> records = MustParse(kSample);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1], (NicRecord{"@net", "veth", "uxcbr0", "veth1001_zZ9q", 733, 1001}));
}

TEST(ParseNicDbTest, IfindexZeroIsACreateInProgress) {
  std::vector<NicRecord> records = MustParse("alice veth uxcbr0 veth1000_a1B2 0 1000\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0].pending());
  EXPECT_EQ(SerializeNicDb(records), "alice veth uxcbr0 veth1000_a1B2 0 1000\n");
  EXPECT_FALSE(MustParse(kSample)[0].pending());
}

TEST(ParseNicDbTest, SerializeRoundTrips) {
  std::vector<NicRecord> records = MustParse(kSample);
  EXPECT_EQ(SerializeNicDb(records), kSample);
  EXPECT_EQ(MustParse(SerializeNicDb(records)), records);
}

TEST(ParseNicDbTest, EmptyDatabase) {
  EXPECT_TRUE(MustParse("").empty());
  EXPECT_EQ(SerializeNicDb({}), "");
}

TEST(ParseNicDbTest, OldLxcFourFieldLineIsAnError) {
  EXPECT_EQ(ErrorOf("alice veth br0 veth1000_abcd\n"),
            "/run/uxc/nics:1: \"alice veth br0 veth1000_abcd\" has 4 field(s), not 6 (OWNER TYPE BRIDGE HOSTNIC "
            "IFINDEX UID)" + kFixHint);
}

TEST(ParseNicDbTest, EachBadFieldIsNamed) {
  EXPECT_EQ(ErrorOf("@ veth br0 v 1 1\n"), "/run/uxc/nics:1: bad owner \"@\"" + kFixHint);
  EXPECT_EQ(ErrorOf("a vlan br0 v 1 1\n"), "/run/uxc/nics:1: bad nic type \"vlan\"" + kFixHint);
  EXPECT_EQ(ErrorOf("a veth br:0 v 1 1\n"), "/run/uxc/nics:1: bad bridge name \"br:0\"" + kFixHint);
  EXPECT_EQ(ErrorOf("a veth br0 abcdefghijklmnop 1 1\n"),
            "/run/uxc/nics:1: bad host nic name \"abcdefghijklmnop\"" + kFixHint);
  EXPECT_EQ(ErrorOf("a veth br0 v -1 1\n"), "/run/uxc/nics:1: bad ifindex \"-1\"" + kFixHint);
  EXPECT_EQ(ErrorOf("a veth br0 v 2147483648 1\n"), "/run/uxc/nics:1: bad ifindex \"2147483648\"" + kFixHint);
  EXPECT_EQ(ErrorOf("a veth br0 v 07 1\n"), "/run/uxc/nics:1: bad ifindex \"07\"" + kFixHint);
  EXPECT_EQ(ErrorOf("a veth br0 v 7 4294967295\n"), "/run/uxc/nics:1: bad uid \"4294967295\"" + kFixHint);
  EXPECT_EQ(ErrorOf("a veth br0 v 7 -1\n"), "/run/uxc/nics:1: bad uid \"-1\"" + kFixHint);
}

// uxc-user-nic parses the database for any caller: another user's record is
// named by file:line and the reason only.
TEST(ParseNicDbTest, NeverQuotesAnotherUsersLine) {
  const char* lines[] = {"bob veth SECRET\n",           "bob SECRET br0 v 1 2\n",     "bob veth SECRET:0 v 1 2\n",
                         "bob veth br0 SECRET:x 1 2\n", "bob veth br0 v 0777 2\n",    "bob veth br0 v 1 07777\n",
                         "@grp veth br0 v 1 SECRET\n",  "SECRET/ veth br0 v 1 2\n"};
  for (const char* line : lines) {
    std::string error = ErrorOf(std::string("a veth br0 v 1 1\n") + line);
    EXPECT_EQ(error.rfind("/run/uxc/nics:2: ", 0), 0u) << error;
    EXPECT_EQ(error.find("SECRET"), std::string::npos) << error;
    EXPECT_EQ(error.find("777"), std::string::npos) << error;
    EXPECT_EQ(error.find("bob"), std::string::npos) << error;
  }
  // A group line charged to the caller's uid is the caller's.
  EXPECT_NE(ErrorOf("@grp veth br0 v 00 1\n").find("\"00\""), std::string::npos);
}

TEST(ParseNicDbTest, NulByteIsAnError) {
  EXPECT_NE(ErrorOf(std::string_view("a veth br0 v 7 1\n\0", 19)).find("contains a NUL byte"), std::string::npos);
}

TEST(LiveRecordsTest, KeepsOnlyRecordsThePredicateFindsInOrder) {
  std::vector<NicRecord> records = MustParse(kSample);
  std::vector<NicRecord> live =
      LiveRecords(records, [](const NicRecord& record) { return record.ifindex != 733; });
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0].host_nic, "veth1000_a1B2");
  EXPECT_EQ(live[1].host_nic, "veth1000_QQQQ");
}

TEST(NicsHeldByTest, CountsByOwnerTypeAndBridge) {
  std::vector<NicRecord> records = MustParse(kSample);
  EXPECT_EQ(NicsHeldBy(records, "alice", "veth", "uxcbr0"), 1u);
  EXPECT_EQ(NicsHeldBy(records, "alice", "veth", "none"), 1u);
  EXPECT_EQ(NicsHeldBy(records, "@net", "veth", "uxcbr0"), 1u);
  EXPECT_EQ(NicsHeldBy(records, "net", "veth", "uxcbr0"), 0u);
  EXPECT_EQ(NicsHeldBy(records, "alice", "veth", "br9"), 0u);
}

}  // namespace
}  // namespace uxc::config

#include "launcher/cli/autostart_order.h"

#include "gtest/gtest.h"

namespace uxc::cli {
namespace {

AutostartEntry EntryFrom(const std::string& name, const std::string& text) {
  auto config = config::ParseContainerConfigText(text, "/nonexistent/" + name + "/config");
  EXPECT_TRUE(config.ok()) << config.error().ToString();
  auto entry = AutostartEntryOf(name, *config);
  EXPECT_TRUE(entry.ok()) << entry.error().ToString();
  return *entry;
}

std::vector<std::string> Names(const std::vector<AutostartEntry>& entries) {
  std::vector<std::string> names;
  for (const AutostartEntry& entry : entries) names.push_back(entry.name);
  return names;
}

std::vector<AutostartEntry> Fleet() {
  return {
      EntryFrom("late", "lxc.start.auto = 1\nlxc.start.order = 20\nlxc.start.delay = 5\n"),
      EntryFrom("early", "lxc.start.auto = 1\nlxc.start.order = -3\n"),
      EntryFrom("manual", "lxc.start.order = 1\n"),
      EntryFrom("off", "lxc.start.auto = 0\n"),
      EntryFrom("middle", "lxc.start.auto = 1\nlxc.start.order = 7\n"),
      EntryFrom("web1", "lxc.start.auto = 1\nlxc.group = web\n"),
      EntryFrom("webdb", "lxc.start.auto = 1\nlxc.start.order = 1\nlxc.group = db,web\n"),
      EntryFrom("db1", "lxc.start.auto = 1\nlxc.group = db\n"),
  };
}

TEST(AutostartEntryOfTest, ReadsTheKeys) {
  AutostartEntry entry = EntryFrom("c", "lxc.start.auto = 1\nlxc.start.order = -4\nlxc.start.delay = 9\n"
                                        "lxc.group = a,b\nlxc.group = c\n");
  EXPECT_TRUE(entry.autostart);
  EXPECT_EQ(entry.order, -4);
  EXPECT_EQ(entry.delay_seconds, 9);
  EXPECT_EQ(entry.groups, (std::vector<std::string>{"a", "b", "c"}));
  AutostartEntry plain = EntryFrom("p", "");
  EXPECT_FALSE(plain.autostart);
  EXPECT_EQ(plain.order, 0);
  EXPECT_EQ(plain.delay_seconds, 0);
  EXPECT_TRUE(plain.groups.empty());
}

TEST(AutostartSequenceTest, StartsUngroupedAutostartContainersByAscendingOrder) {
  EXPECT_EQ(Names(AutostartSequence(Fleet(), {}, AutostartAction::kStart)),
            (std::vector<std::string>{"early", "middle", "late"}));
}

TEST(AutostartSequenceTest, StopsInTheReverseOrder) {
  EXPECT_EQ(Names(AutostartSequence(Fleet(), {}, AutostartAction::kStop)),
            (std::vector<std::string>{"late", "middle", "early"}));
}

TEST(AutostartSequenceTest, EqualOrdersGoByName) {
  std::vector<AutostartEntry> entries = {EntryFrom("b", "lxc.start.auto = 1\n"),
                                         EntryFrom("a", "lxc.start.auto = 1\n")};
  EXPECT_EQ(Names(AutostartSequence(entries, {}, AutostartAction::kStart)), (std::vector<std::string>{"a", "b"}));
}

TEST(AutostartSequenceTest, GroupsSelectOnlyTheirMembers) {
  AutostartFilter web;
  web.group_args = {"web"};
  EXPECT_EQ(Names(AutostartSequence(Fleet(), web, AutostartAction::kStart)),
            (std::vector<std::string>{"web1", "webdb"}));
  AutostartFilter db_and_web;
  db_and_web.group_args = {"db", "web"};
  EXPECT_EQ(Names(AutostartSequence(Fleet(), db_and_web, AutostartAction::kStart)),
            (std::vector<std::string>{"db1", "web1", "webdb"}));
}

TEST(AutostartSequenceTest, AnEmptyGroupItemMeansNoGroup) {
  AutostartFilter web_and_none;
  web_and_none.group_args = {"web,"};
  EXPECT_EQ(Names(AutostartSequence(Fleet(), web_and_none, AutostartAction::kStart)),
            (std::vector<std::string>{"early", "web1", "webdb", "middle", "late"}));
}

TEST(AutostartSequenceTest, AllTakesEveryGroupButStillOnlyAutostart) {
  AutostartFilter all;
  all.all = true;
  EXPECT_EQ(Names(AutostartSequence(Fleet(), all, AutostartAction::kStart)),
            (std::vector<std::string>{"early", "db1", "web1", "webdb", "middle", "late"}));
}

TEST(AutostartSequenceTest, KeepsTheDelay) {
  auto sequence = AutostartSequence(Fleet(), {}, AutostartAction::kStart);
  ASSERT_EQ(sequence.size(), 3u);
  EXPECT_EQ(sequence[2].delay_seconds, 5);
}

}  // namespace
}  // namespace uxc::cli

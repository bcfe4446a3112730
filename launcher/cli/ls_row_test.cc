#include "launcher/cli/ls_row.h"

#include <gtest/gtest.h>

namespace uxc::cli {
namespace {

LsRow Row(const std::string& name, const std::string& state, std::vector<std::string> groups = {}) {
  LsRow row;
  row.name = name;
  row.state = state;
  row.groups = std::move(groups);
  return row;
}

LsFilter MustFilter(LsSelection selection) {
  auto filter = LsFilter::Make(std::move(selection));
  EXPECT_TRUE(filter.ok()) << filter.error().message;
  return filter.ok() ? *filter : *LsFilter::Make({});
}

TEST(LsFilterTest, FilterIsAnExtendedRegexOnTheName) {
  LsFilter filter = MustFilter({"^web-(a|b)$", {}, {}});
  EXPECT_TRUE(filter.Keeps(Row("web-a", "STOPPED")));
  EXPECT_TRUE(filter.Keeps(Row("web-b", "RUNNING")));
  EXPECT_FALSE(filter.Keeps(Row("web-c", "STOPPED")));
  EXPECT_FALSE(filter.Keeps(Row("xweb-a", "STOPPED")));
}

TEST(LsFilterTest, AnUnanchoredFilterMatchesAnywhereAsInLxcLs) {
  LsFilter filter = MustFilter({"eb", {}, {}});
  EXPECT_TRUE(filter.Keeps(Row("web1", "STOPPED")));
  EXPECT_FALSE(filter.Keeps(Row("db1", "STOPPED")));
}

TEST(LsFilterTest, ABadRegexIsAUsageError) {
  auto filter = LsFilter::Make({"web(", {}, {}});
  ASSERT_FALSE(filter.ok());
  EXPECT_TRUE(filter.error().usage);
  EXPECT_NE(filter.error().message.find("FILTER \"web(\" is not a regular expression"), std::string::npos)
      << filter.error().message;
}

TEST(LsFilterTest, FiltersThatWouldExhaustRegcompAreRefused) {
  for (const std::string& filter : {std::string("web++++++++"), std::string("a*?"), std::string("a{2}{3}"),
                                    std::string("((a{100}){100})"), std::string(300, 'a')}) {
    auto made = LsFilter::Make({filter, {}, {}});
    ASSERT_FALSE(made.ok()) << filter;
    EXPECT_TRUE(made.error().usage) << filter;
  }
  EXPECT_TRUE(LsFilter::Make({"^web-[0-9]{1,3}$", {}, {}}).ok());
  EXPECT_TRUE(LsFilter::Make({"a\\+\\+", {}, {}}).ok());
  EXPECT_TRUE(LsFilter::Make({"(ab)+", {}, {}}).ok());
  EXPECT_TRUE(LsFilter::Make({"^[+*?]+x", {}, {}}).ok()) << "duplication symbols in brackets are literal";
}

TEST(LsFilterTest, StatesCombine) {
  LsFilter filter = MustFilter({"", {"RUNNING", "STOPPED"}, {}});
  EXPECT_TRUE(filter.Keeps(Row("a", "RUNNING")));
  EXPECT_TRUE(filter.Keeps(Row("b", "STOPPED")));
  EXPECT_FALSE(filter.Keeps(Row("c", "UNKNOWN")));
  LsFilter running = MustFilter({"", {"RUNNING"}, {}});
  EXPECT_FALSE(running.Keeps(Row("b", "STOPPED")));
}

TEST(LsFilterTest, GroupsKeepAContainerInAnyOfThem) {
  LsFilter filter = MustFilter({"", {}, {"web", "db"}});
  EXPECT_TRUE(filter.Keeps(Row("a", "STOPPED", {"db"})));
  EXPECT_TRUE(filter.Keeps(Row("b", "STOPPED", {"onboot", "web"})));
  EXPECT_FALSE(filter.Keeps(Row("c", "STOPPED", {"onboot"})));
  EXPECT_FALSE(filter.Keeps(Row("d", "STOPPED")));
}

TEST(LsColumnsTest, ParsesAnyCaseAndRefusesUnknownColumns) {
  auto columns = ParseColumns("name,State,PID");
  ASSERT_TRUE(columns.ok()) << columns.error().message;
  EXPECT_EQ(*columns, (std::vector<std::string>{"NAME", "STATE", "PID"}));
  auto bad = ParseColumns("NAME,RAM");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().usage);
  EXPECT_NE(bad.error().message.find("no column \"RAM\"; choose from NAME,STATE,PID"), std::string::npos)
      << bad.error().message;
  EXPECT_FALSE(ParseColumns("NAME,").ok());
  EXPECT_FALSE(ParseColumns("").ok());
}

TEST(LsColumnsTest, TableShowsTheChosenColumnsPadded) {
  LsRow running = Row("web", "RUNNING", {"a", "b"});
  running.pid = 4242;
  LsRow stopped = Row("database", "STOPPED");
  EXPECT_EQ(FormatTable({running, stopped}, {"NAME", "PID", "GROUPS"}),
            "NAME     PID  GROUPS\n"
            "web      4242 a,b\n"
            "database -    -\n");
}

TEST(LsJsonTest, CarriesPidConfigAndCreated) {
  LsRow running = Row("web", "RUNNING");
  running.pid = 4242;
  running.config_path = "/home/u/.local/share/uxc/web/config";
  running.created = "2026-12-07T14:00:00Z";
  LsRow stopped = Row("db", "STOPPED");
  stopped.config_path = "/p/db/config";
  EXPECT_EQ(FormatJson({running, stopped}),
            "[\n"
            "  {\"name\": \"web\", \"state\": \"RUNNING\", \"pid\": 4242, \"autostart\": false, \"groups\": [], "
            "\"ipv4\": [], \"ipv6\": [], \"unprivileged\": true, \"config\": "
            "\"/home/u/.local/share/uxc/web/config\", \"created\": \"2026-12-07T14:00:00Z\"},\n"
            "  {\"name\": \"db\", \"state\": \"STOPPED\", \"pid\": null, \"autostart\": false, \"groups\": [], "
            "\"ipv4\": [], \"ipv6\": [], \"unprivileged\": true, \"config\": \"/p/db/config\", \"created\": null}\n"
            "]\n");
  EXPECT_EQ(FormatJson({}), "[]\n");
}

TEST(CommaListTest, SkipsEmptyItems) {
  EXPECT_EQ(CommaList("a,,b,"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(CommaList("").empty());
}

}  // namespace
}  // namespace uxc::cli

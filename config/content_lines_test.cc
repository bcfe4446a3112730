#include "config/content_lines.h"

#include <gtest/gtest.h>

namespace uxc::config {
namespace {

TEST(ContentLinesTest, SkipsBlankAndCommentLinesAndKeepsNumbers) {
  std::vector<ContentLine> lines = ContentLines("# head\n\n  alice veth br0 2 \r\n\t# indented comment\nbob x\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].number, 3);
  EXPECT_EQ(lines[0].text, "alice veth br0 2");
  EXPECT_EQ(lines[1].number, 5);
  EXPECT_EQ(lines[1].text, "bob x");
}

TEST(ContentLinesTest, LastLineWithoutNewlineCounts) {
  std::vector<ContentLine> lines = ContentLines("a\nb");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].number, 2);
  EXPECT_EQ(lines[1].text, "b");
}

TEST(ContentLinesTest, EmptyTextHasNoLines) { EXPECT_TRUE(ContentLines("").empty()); }

TEST(WordsTest, SplitsOnRunsOfSpacesAndTabs) {
  std::vector<std::string_view> words = SplitFields(" a \t b  c\t");
  EXPECT_EQ(words, (std::vector<std::string_view>{"a", "b", "c"}));
}

TEST(QuotedTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(Quoted("a\"b\\c\x01\x7f"), "\"a\\\"b\\\\c\\x01\\x7f\"");
}

}  // namespace
}  // namespace uxc::config

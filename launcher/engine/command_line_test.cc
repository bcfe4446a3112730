#include "launcher/engine/command_line.h"

#include <gtest/gtest.h>

namespace uxc::launcher {
namespace {

std::vector<std::string> Split(const std::string& text) {
  auto words = SplitCommandLine(text);
  EXPECT_TRUE(words.ok()) << words.error().ToString();
  return words.ok() ? *words : std::vector<std::string>{};
}

TEST(SplitCommandLineTest, Blanks) {
  EXPECT_EQ(Split("  /sbin/init  --log-level=debug\tx "),
            (std::vector<std::string>{"/sbin/init", "--log-level=debug", "x"}));
}

TEST(SplitCommandLineTest, Quotes) {
  EXPECT_EQ(Split("sh -c 'echo \"a b\"' \"c 'd'\" e\\ f ''"),
            (std::vector<std::string>{"sh", "-c", "echo \"a b\"", "c 'd'", "e f", ""}));
}

TEST(SplitCommandLineTest, Empty) { EXPECT_TRUE(Split("   ").empty()); }

TEST(SplitCommandLineTest, UnclosedQuoteAndTrailingBackslashAreErrors) {
  EXPECT_FALSE(SplitCommandLine("sh -c 'x").ok());
  EXPECT_FALSE(SplitCommandLine("a\\").ok());
}

TEST(JoinCommandLineTest, SplitGivesTheWordsBack) {
  std::vector<std::string> words = {"sh", "-c", "echo 'it''s' \"$HOME\" \\ done", "", "a b\tc"};
  EXPECT_EQ(Split(JoinCommandLine(words)), words);
  EXPECT_EQ(JoinCommandLine({"/bin/sh", "-c", "exit 3"}), "'/bin/sh' '-c' 'exit 3'");
  EXPECT_EQ(JoinCommandLine({"it's"}), "'it'\\''s'");
}

}  // namespace
}  // namespace uxc::launcher

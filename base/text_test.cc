#include "base/text.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace uxc {
namespace {

TEST(Trim, RemovesBlanksAndCarriageReturnsAroundTheText) {
  EXPECT_EQ(Trim(" \t a b \r"), "a b");
  EXPECT_EQ(Trim("\r\t "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("a\n"), "a\n");  // a newline ends a line; it is not a blank
}

TEST(Quoted, KeepsAMessageOnOneLineOfPlainAscii) {
  EXPECT_EQ(Quoted("plain text"), "\"plain text\"");
  EXPECT_EQ(Quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Quoted("a\tb\r\nc"), "\"a\\tb\\r\\nc\"");
  EXPECT_EQ(Quoted("\x1b[2J\x7f"), "\"\\x1b[2J\\x7f\"");
  EXPECT_EQ(Quoted("\xc3\xa4"), "\"\\xc3\\xa4\"");
  EXPECT_EQ(Quoted(std::string_view("a\0b", 3)), "\"a\\x00b\"");
}

TEST(Quoted, CutsAfterMaxCharsInsideTheQuotes) {
  EXPECT_EQ(Quoted("abcdef", 3), "\"abc...\"");
  EXPECT_EQ(Quoted("abc", 3), "\"abc\"");
  EXPECT_EQ(Quoted("", 3), "\"\"");
}

TEST(ParseNumber, TakesTheWholeTextOrNothing) {
  EXPECT_EQ(ParseNumber<int>("42"), 42);
  EXPECT_EQ(ParseNumber<int>("-7"), -7);
  EXPECT_EQ(ParseNumber<uint64_t>("18446744073709551615"), UINT64_MAX);
  for (const char* bad : {"", " 1", "1 ", "+1", "1x", "0x10", "-"}) {
    EXPECT_EQ(ParseNumber<int>(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseNumber<unsigned>("-1"), std::nullopt);
  EXPECT_EQ(ParseNumber<int32_t>("2147483648"), std::nullopt);  // does not fit
  EXPECT_EQ(ParseNumber<uint64_t>("18446744073709551616"), std::nullopt);
}

}  // namespace
}  // namespace uxc

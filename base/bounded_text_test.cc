#include "base/bounded_text.h"

#include <gtest/gtest.h>

#include <climits>
#include <string>

namespace uxc {
namespace {

TEST(BoundedTextTest, AppendsAndTruncates) {
  char buffer[12];
  ClearText(buffer, sizeof buffer);
  AppendText(buffer, sizeof buffer, "exit ");
  AppendDecimal(buffer, sizeof buffer, 127);
  EXPECT_STREQ(buffer, "exit 127");
  AppendText(buffer, sizeof buffer, " and more");
  EXPECT_STREQ(buffer, "exit 127 an");
}

TEST(BoundedTextTest, Decimals) {
  char buffer[64];
  for (long long value : {0LL, 7LL, -42LL, LLONG_MAX, LLONG_MIN}) {
    ClearText(buffer, sizeof buffer);
    AppendDecimal(buffer, sizeof buffer, value);
    EXPECT_EQ(std::string(buffer), std::to_string(value));
  }
}

TEST(BoundedTextTest, ZeroSizedBufferIsLeftAlone) {
  char buffer[1] = {'x'};
  AppendText(buffer, 0, "text");
  ClearText(buffer, 0);
  EXPECT_EQ(buffer[0], 'x');
}

}  // namespace
}  // namespace uxc

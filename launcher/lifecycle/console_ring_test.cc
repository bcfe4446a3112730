#include "launcher/lifecycle/console_ring.h"

#include <string>

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

std::string Contents(const ConsoleRing& ring) { return std::string(ring.older()) + std::string(ring.newer()); }

TEST(ConsoleRingTest, KeepsEverythingBelowTheCapacity) {
  ConsoleRing ring(8);
  EXPECT_EQ(Contents(ring), "");
  ring.Append("abc");
  ring.Append("de");
  EXPECT_EQ(Contents(ring), "abcde");
  EXPECT_EQ(ring.size(), 5u);
}

TEST(ConsoleRingTest, KeepsTheLastBytesWhenItWraps) {
  ConsoleRing ring(8);
  ring.Append("abcdef");
  ring.Append("ghij");
  EXPECT_EQ(Contents(ring), "cdefghij");
  EXPECT_EQ(ring.older(), "cdefgh");
  EXPECT_EQ(ring.newer(), "ij");
  ring.Append("k");
  EXPECT_EQ(Contents(ring), "defghijk");
}

TEST(ConsoleRingTest, AnAppendLongerThanTheCapacityKeepsItsTail) {
  ConsoleRing ring(4);
  ring.Append("xy");
  ring.Append("0123456789");
  EXPECT_EQ(Contents(ring), "6789");
  EXPECT_EQ(ring.newer(), "");
}

TEST(ConsoleRingTest, ManySmallAppendsMatchAPlainTail) {
  ConsoleRing ring(7);
  std::string all;
  for (int i = 0; i < 100; ++i) {
    std::string piece(static_cast<size_t>(i % 5), static_cast<char>('a' + i % 26));
    ring.Append(piece);
    all += piece;
    std::string tail = all.size() > 7 ? all.substr(all.size() - 7) : all;
    ASSERT_EQ(Contents(ring), tail) << "after append " << i;
  }
}

TEST(ConsoleRingTest, ZeroCapacityKeepsNothing) {
  ConsoleRing ring(0);
  ring.Append("abc");
  EXPECT_EQ(ring.size(), 0u);
  EXPECT_EQ(Contents(ring), "");
}

}  // namespace
}  // namespace uxc::lifecycle

// Fuzzes the /etc/subuid parser and the coverage check on what it accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/subid.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto ranges = uxc::config::ParseSubidText(text, "/etc/subuid");
  // Whose lines a message may quote changes the message, never the verdict.
  auto as_alice = uxc::config::ParseSubidText(text, "/etc/subuid", uxc::config::QuotableLines{{"alice"}, 1000});
  if (as_alice.ok() != ranges.ok()) __builtin_trap();
  if (!ranges.ok()) return 0;
  for (const auto& range : *ranges) {
    if (range.count == 0 || range.end() > 4294967295u) __builtin_trap();
    if (!uxc::config::Covers(*ranges, range.start, range.count)) __builtin_trap();
  }
  auto mine = uxc::config::RangesFor(*ranges, "alice", 1000);
  if (!mine.empty()) {
    const auto& first = mine.front();
    uxc::config::Covers(mine, first.start, static_cast<uint32_t>(first.end() - first.start));
    uxc::config::Covers(mine, first.start > 0 ? first.start - 1 : 0, 4294967295u - first.start);
  }
  uxc::config::DescribeRanges(mine);
  return 0;
}

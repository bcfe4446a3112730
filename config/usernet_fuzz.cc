// Feeds arbitrary text to the usernet parser and checks what it accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/usernet.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto entries = uxc::config::ParseUsernetText(text, "usernet");
  // Whose lines a message may quote changes the message, never the verdict.
  auto as_alice = uxc::config::ParseUsernetText(text, "usernet", uxc::config::QuotableLines{{"alice"}, 1000});
  if (as_alice.ok() != entries.ok()) __builtin_trap();
  if (!entries.ok()) return 0;
  for (const auto& entry : *entries) {
    if (entry.type != "veth" || entry.count > 100000 || entry.owner.empty()) __builtin_trap();
  }
  auto allowance = uxc::config::AllowanceFor(*entries, "alice", {"net"}, "veth", "br0");
  if (allowance.total > 100000ull * entries->size()) __builtin_trap();
  (void)uxc::config::DescribeEntries(*entries);
  return 0;
}

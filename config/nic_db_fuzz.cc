// Feeds arbitrary text to the nic database parser; whatever it accepts must
// serialize and parse back to the same records.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/nic_db.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto records = uxc::config::ParseNicDb(text, "nics");
  // Whose lines a message may quote changes the message, never the verdict.
  auto as_alice = uxc::config::ParseNicDb(text, "nics", uxc::config::QuotableLines{{"alice"}, 1000});
  if (as_alice.ok() != records.ok()) __builtin_trap();
  if (!records.ok()) return 0;
  auto again = uxc::config::ParseNicDb(uxc::config::SerializeNicDb(*records), "nics");
  if (!again.ok() || *again != *records) __builtin_trap();
  return 0;
}

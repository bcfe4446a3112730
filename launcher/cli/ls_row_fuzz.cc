// Feeds `uxc ls` a FILTER and a -F column list (split at the first NUL).
#include <cstddef>
#include <cstdint>
#include <string>

#include "launcher/cli/ls_row.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::string filter = input.substr(0, nul);
  std::string columns = nul == std::string::npos ? "" : input.substr(nul + 1);
  uxc::cli::LsRow row;
  row.name = "c1";
  row.state = "RUNNING";
  auto made = uxc::cli::LsFilter::Make({filter, {}, {}});
  if (made.ok()) made->Keeps(row);
  auto parsed = uxc::cli::ParseColumns(columns);
  if (parsed.ok()) {
    if (parsed->empty()) __builtin_trap();
    uxc::cli::FormatTable({row}, *parsed);
  }
  return 0;
}

// uxc-user-nic's command line: arguments split at NUL bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "helpers/nic_request.h"
#include "kernel/rtnetlink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uxc::helpers;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> args;
  size_t at = 0;
  while (at <= input.size()) {
    size_t end = input.find('\0', at);
    if (end == std::string_view::npos) end = input.size();
    args.push_back(input.substr(at, end - at));
    at = end + 1;
  }
  auto request = ParseNicRequest(args);
  if (!request.ok()) return 0;
  // What the helper relies on: names the kernel takes, a type it makes.
  if (request->bridge != "none" && request->command != NicCommand::kList &&
      !uxc::kernel::IsValidLinkName(request->bridge)) {
    __builtin_trap();
  }
  if (!request->nic_name.empty() && !uxc::kernel::IsValidLinkName(request->nic_name)) __builtin_trap();
  return 0;
}

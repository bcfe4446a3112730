// Feeds arbitrary bytes to the argument parser (split on NUL into argv) and
// to the user-name check; what they accept must be what they promise.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "pam/module_args.h"
#include "pam/node_name.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> argv;
  for (size_t start = 0; start <= text.size();) {
    size_t end = text.find('\0', start);
    if (end == std::string_view::npos) end = text.size();
    argv.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  uxc::pam::ParsedArgs parsed = uxc::pam::ParseModuleArgs(argv);
  for (const std::string& name : parsed.args.controllers) {
    if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) __builtin_trap();
  }
  if (parsed.args.base) {
    for (const std::string& part : *parsed.args.base) {
      if (part.empty() || part == "." || part == ".." || part.find('/') != std::string::npos) __builtin_trap();
    }
  }
  if (!uxc::pam::NodeNameProblem(text)) {
    if (text.empty() || text.size() > uxc::pam::kMaxNodeName || text.front() == '.' ||
        text.find_first_of("/\n\0", 0, 3) != std::string_view::npos) {
      __builtin_trap();
    }
  }
  return 0;
}

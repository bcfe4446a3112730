// Feeds NUL-separated arguments to the CLI parser. The first argument picks
// stop_at_first_positional by its first byte's low bit.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "launcher/args/args.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<uxc::cli::OptionSpec> kSpec = {
      {"name", 'n', true, false, "NAME", "name"},
      {"set", 's', true, true, "KEY=VALUE", "set"},
      {"quiet", 'q', false, false, "", "quiet"},
      {"lxcpath", 'P', true, false, "DIR", "path"},
  };
  std::vector<std::string> args;
  std::string current;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(data[i]));
    }
  }
  args.push_back(current);
  bool stop_at_first_positional = size > 0 && (data[0] & 1);
  uxc::Result<uxc::cli::ParsedArgs> parsed = uxc::cli::ParseArgs("fuzz", kSpec, args, stop_at_first_positional);
  if (parsed.ok()) {
    // The verbatim tail is exactly the end of the input, and every
    // positional is one of the input arguments.
    const auto& tail = parsed->after_dashdash;
    if (tail.size() > args.size() || !std::equal(tail.begin(), tail.end(), args.end() - tail.size())) {
      __builtin_trap();
    }
    for (const auto& positional : parsed->positionals) {
      if (std::find(args.begin(), args.end(), positional) == args.end()) __builtin_trap();
    }
  }
  (void)uxc::cli::FormatHelp("fuzz", "NAME", std::string(reinterpret_cast<const char*>(data), size), kSpec);
  return 0;
}

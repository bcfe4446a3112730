// Feeds NUL-separated arguments to the CLI parser. The first argument picks
// stop_at_first_positional by its first byte's low bit.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "launcher/cli/args.h"

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
    size_t total = parsed->positionals.size() + parsed->after_dashdash.size();
    for (const auto& [name, values] : parsed->options) total += values.size();
    if (total > args.size()) __builtin_trap();  // every value comes from one argument
  }
  (void)uxc::cli::FormatHelp("fuzz", "NAME", std::string(reinterpret_cast<const char*>(data), size), kSpec);
  return 0;
}

// The argument parser every subcommand uses. Options come before positional
// arguments; "--" ends options, and everything after it is kept verbatim
// (the command line of a container's process).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/error.h"

namespace uxc::cli {

struct OptionSpec {
  std::string long_name;   // "name" for --name; --name=VALUE and --name VALUE both work
  char short_name = 0;     // 'n' for -n; 0 when none. -nVALUE and -n VALUE both work
  bool takes_value = false;
  bool repeatable = false; // e.g. -s key=value given several times
  std::string value_name;  // "KEY=VALUE", for help output
  std::string help;
};

struct ParsedArgs {
  std::map<std::string, std::vector<std::string>> options;  // by long name
  std::vector<std::string> positionals;
  std::vector<std::string> after_dashdash;
  bool saw_dashdash = false;

  bool Has(const std::string& long_name) const;
  // The last value of an option, or `fallback`.
  std::string Value(const std::string& long_name, const std::string& fallback = "") const;
  std::vector<std::string> Values(const std::string& long_name) const;
};

// Parses args (without the program and command names). Errors are usage
// errors (exit status 2 through FailWith) that say which argument is wrong
// and suggest `uxc COMMAND --help`. `--help`/`-h` is
// always accepted and reported as the option "help".
// When `stop_at_first_positional` is set, the first positional argument and
// everything after it go to after_dashdash (for "uxc run IMAGE CMD ARGS...").
Result<ParsedArgs> ParseArgs(const std::string& command, const std::vector<OptionSpec>& spec,
                             const std::vector<std::string>& args,
                             bool stop_at_first_positional = false);

// A usage error (Error::usage) whose message ends with "see `uxc COMMAND
// --help`".
Error UsageErrorFor(const std::string& command, const std::string& what);

// "Usage: uxc COMMAND SYNOPSIS\n\nSUMMARY\n\nOptions:\n  -n, --name NAME  help..."
std::string FormatHelp(const std::string& command, const std::string& synopsis,
                       const std::string& summary, const std::vector<OptionSpec>& spec);

}  // namespace uxc::cli

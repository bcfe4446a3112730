// A uxc subcommand. Each lives in its own file, launcher/cli/<name>.cc, with
// a header declaring its entry point; main.cc lists them in one table.
#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

struct Command {
  const char* name;     // "checkconfig"
  const char* summary;  // one line for `uxc --help`
  // Receives the arguments after the command name; returns the exit status.
  int (*run)(const std::vector<std::string>& args);
};

}  // namespace uxc::cli

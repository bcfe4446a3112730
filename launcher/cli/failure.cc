#include "launcher/cli/failure.h"

#include <cstdio>

namespace uxc::cli {

int FailWith(const std::string& command, const Error& error) {
  std::fprintf(stderr, "uxc %s: %s\n", command.c_str(), error.ToString().c_str());
  return error.usage ? 2 : 1;
}

Error UsageErrorFor(const std::string& command, const std::string& what) {
  return UsageError(what + "; see `uxc " + command + " --help`");
}

}  // namespace uxc::cli

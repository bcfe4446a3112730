#include "launcher/cli/failure.h"

#include <cstdio>

namespace uxc::cli {

int FailWith(const std::string& command, const Error& error) {
  std::fputs(PrefixedLines("uxc " + command, error).c_str(), stderr);
  return error.usage ? 2 : 1;
}

}  // namespace uxc::cli

// How every uxc command ends on an error (docs/errors.md): one line on
// stderr, "uxc COMMAND: message", and exit status 2 for a usage error
// (Error::usage: a bad option or argument), 1 for any other failure.
#pragma once

#include <string>

#include "base/error.h"

namespace uxc::cli {

// Prints "uxc COMMAND: error" and returns the exit status: 2 or 1.
int FailWith(const std::string& command, const Error& error);

// A usage error whose message ends with "see `uxc COMMAND --help`".
Error UsageErrorFor(const std::string& command, const std::string& what);

}  // namespace uxc::cli

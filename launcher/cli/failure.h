// How every uxc command ends on an error (docs/errors.md): "uxc COMMAND:
// message" on stderr, the hint (if any) on a line of its own with the same
// prefix, and exit status 2 for a usage error
// (Error::usage: a bad option or argument), 1 for any other failure.
#pragma once

#include <string>

#include "base/error.h"
#include "launcher/args/args.h"  // UsageErrorFor, for the usage errors FailWith ends with

namespace uxc::cli {

// Prints "uxc COMMAND: error" (and "uxc COMMAND: hint") and returns the
// exit status: 2 or 1.
int FailWith(const std::string& command, const Error& error);


}  // namespace uxc::cli

// The container name on a command line, held to the one name rule
// (config/container_name.h) before any command turns it into a path. A name
// the rule refuses is a usage error: exit status 2 (docs/errors.md).
#pragma once

#include <optional>
#include <string>

#include "launcher/args/args.h"

namespace uxc::cli {

// nullopt when `name` is a container name. Else prints
// "uxc COMMAND: ... is not a container name: ...; see `uxc COMMAND --help`"
// and returns 2, the exit status.
std::optional<int> RefuseBadName(const std::string& command, const std::string& name);

// The same for the name as NamedContainer takes it: -n NAME, else the
// first positional argument (nullopt when there is neither; NamedContainer
// says what is missing).
std::optional<int> RefuseBadName(const std::string& command, const ParsedArgs& parsed);

}  // namespace uxc::cli

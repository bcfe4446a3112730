// What the lifecycle commands (start, stop, ls, info, attach, console, wait,
// freeze) share: the container options and how a NAME becomes a container.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/args/args.h"
#include "launcher/lifecycle/container_status.h"

namespace uxc::cli {

// -n NAME and -P DIR, followed by `extra`.
std::vector<OptionSpec> ContainerOptions(std::vector<OptionSpec> extra);

// The container path: -P, else uxc.container_path.
Result<std::string> ContainerPath(const ParsedArgs& parsed);

// The container named by -n or the first positional (removed from `rest`).
Result<lifecycle::ContainerRef> NamedContainer(const ParsedArgs& parsed, const std::string& command,
                                               std::vector<std::string>* rest = nullptr);

// The names of the containers under `path` (those with a config), sorted.
// An entry the name rule refuses is left out with a warning from `command`
// (a directory named "-k" must not reach another command as an option).
std::vector<std::string> ContainerNames(const std::string& path, const std::string& command);

}  // namespace uxc::cli

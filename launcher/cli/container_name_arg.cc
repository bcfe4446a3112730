#include "launcher/cli/container_name_arg.h"

#include <cstdio>

#include "config/container_name.h"

namespace uxc::cli {

std::optional<int> RefuseBadName(const std::string& command, const std::string& name) {
  Status valid = config::ValidateContainerName(name);
  if (valid.ok()) return std::nullopt;
  std::fprintf(stderr, "uxc %s: %s; see `uxc %s --help`\n", command.c_str(), valid.error().ToString().c_str(),
               command.c_str());
  return 2;
}

std::optional<int> RefuseBadName(const std::string& command, const ParsedArgs& parsed) {
  if (parsed.Has("name")) return RefuseBadName(command, parsed.Value("name"));
  if (parsed.positionals.empty()) return std::nullopt;
  return RefuseBadName(command, parsed.positionals.front());
}

}  // namespace uxc::cli

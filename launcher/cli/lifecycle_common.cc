#include "launcher/cli/lifecycle_common.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

#include "config/container_name.h"
#include "config/tool_settings.h"

namespace uxc::cli {

std::vector<OptionSpec> ContainerOptions(std::vector<OptionSpec> extra) {
  std::vector<OptionSpec> options = {
      {"name", 'n', true, false, "NAME", "the container (or give it as the first argument)"},
      {"lxcpath", 'P', true, false, "DIR", "the container path (default: uxc.container_path)"},
  };
  options.insert(options.end(), extra.begin(), extra.end());
  return options;
}

Result<std::string> ContainerPath(const ParsedArgs& parsed) {
  if (parsed.Has("lxcpath")) return parsed.Value("lxcpath");
  UXC_ASSIGN_OR_RETURN(auto settings, config::LoadToolSettings(config::CurrentToolEnvironment()));
  return settings.container_path;
}

Result<lifecycle::ContainerRef> NamedContainer(const ParsedArgs& parsed, const std::string& command,
                                               std::vector<std::string>* rest) {
  std::vector<std::string> positionals = parsed.positionals;
  std::string name = parsed.Value("name");
  if (name.empty()) {
    if (positionals.empty()) return UsageErrorFor(command, "name the container: uxc " + command + " NAME");
    name = positionals.front();
    positionals.erase(positionals.begin());
  }
  if (rest != nullptr) {
    *rest = positionals;
  } else if (!positionals.empty()) {
    return UsageErrorFor(command, "unexpected argument \"" + positionals.front() + "\"");
  }
  UXC_ASSIGN_OR_RETURN(auto path, ContainerPath(parsed));
  return lifecycle::ResolveContainer(name, path);
}

std::vector<std::string> ContainerNames(const std::string& path, const std::string& command) {
  std::vector<std::string> names;
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return names;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    struct stat st;
    if (name == "." || name == "..") continue;
    if (stat((path + "/" + name + "/config").c_str(), &st) != 0) continue;
    Status valid = config::ValidateContainerName(name);
    if (!valid.ok()) {
      std::fprintf(stderr, "uxc %s: warning: skipping %s/: %s\n", command.c_str(), path.c_str(),
                   valid.error().ToString().c_str());
      continue;
    }
    names.push_back(name);
  }
  closedir(dir);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace uxc::cli

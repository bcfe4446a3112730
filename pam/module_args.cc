#include "pam/module_args.h"

#include <algorithm>

#include "base/text.h"
#include "config/text_util.h"

namespace uxc::pam {
namespace {

constexpr size_t kMaxControllerName = 32;
constexpr size_t kMaxBaseComponents = 8;
constexpr size_t kMaxBaseComponent = 64;
constexpr size_t kMaxArgumentShown = 80;

bool IsControllerName(std::string_view name) {
  return !name.empty() && name.size() <= kMaxControllerName &&
         std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

// A cgroup name the admin chose: plain characters, not "." or "..".
bool IsBaseComponent(std::string_view name) {
  auto plain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  };
  return !name.empty() && name.size() <= kMaxBaseComponent && name != "." && name != ".." &&
         std::all_of(name.begin(), name.end(), plain);
}

std::optional<std::string> ParseControllers(std::string_view list, ModuleArgs& args) {
  std::vector<std::string> names;
  for (std::string_view name : list.empty() ? std::vector<std::string_view>{} : config::Split(list, ',')) {
    if (!IsControllerName(name)) {
      return "controller " + Quoted(name, kMaxArgumentShown) +
             " is not a controller name (lower-case letters and '_', as in cgroup.controllers)";
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
  }
  args.controllers = std::move(names);
  return std::nullopt;
}

std::optional<std::string> ParseBase(std::string_view path, ModuleArgs& args) {
  if (!path.starts_with('/')) return std::string("it must be a path from the cgroup2 root, such as /uxc.users");
  std::vector<std::string> components;
  for (std::string_view part : config::Split(path.substr(1), '/')) {
    if (!IsBaseComponent(part)) {
      return "component " + Quoted(part, kMaxArgumentShown) +
             " is not a cgroup name (letters, digits, '.', '_', '-', at most 64, not \".\" or \"..\")";
    }
    components.emplace_back(part);
  }
  if (components.size() > kMaxBaseComponents) return std::string("it has more than 8 components");
  args.base = std::move(components);
  return std::nullopt;
}

}  // namespace

ParsedArgs ParseModuleArgs(const std::vector<std::string_view>& argv) {
  ParsedArgs parsed;
  for (std::string_view argument : argv) {
    std::optional<std::string> problem;
    if (argument == "debug") {
      parsed.args.debug = true;
    } else if (argument == "required") {
      parsed.args.required = true;
    } else if (argument.starts_with("controllers=")) {
      problem = ParseControllers(argument.substr(12), parsed.args);
    } else if (argument.starts_with("base=")) {
      problem = ParseBase(argument.substr(5), parsed.args);
    } else {
      problem = std::string("unknown argument (use controllers=LIST, base=/PATH, debug, required)");
    }
    if (problem) parsed.errors.push_back("argument " + Quoted(argument, kMaxArgumentShown) + ": " + *problem);
  }
  return parsed;
}

}  // namespace uxc::pam

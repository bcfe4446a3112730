#include "launcher/cli/autostart_order.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "config/values.h"

namespace uxc::cli {
namespace {

std::vector<std::string> CommaItems(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  for (;;) {
    size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

Result<long> IntegerKey(const config::ContainerConfig& config, const char* key) {
  std::string text = config.GetOr(key, "0");
  errno = 0;
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || errno != 0 || *end != '\0') {
    return PlainError(std::string(key) + " = \"" + text + "\" is not an integer; give a whole number");
  }
  return value;
}

bool InSelectedGroup(const AutostartEntry& entry, const AutostartFilter& filter) {
  if (filter.all) return true;
  std::vector<std::string> wanted;
  for (const std::string& arg : filter.group_args) {
    for (const std::string& item : CommaItems(arg)) wanted.push_back(item);
  }
  if (filter.group_args.empty()) wanted.push_back("");
  for (const std::string& group : wanted) {
    if (group.empty() && entry.groups.empty()) return true;
    if (!group.empty() && std::find(entry.groups.begin(), entry.groups.end(), group) != entry.groups.end()) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<AutostartEntry> AutostartEntryOf(const std::string& name, const config::ContainerConfig& config) {
  AutostartEntry entry;
  entry.name = name;
  auto autostart = config::ParseBool(config.GetOr("lxc.start.auto", "0"));
  if (!autostart.ok()) return Annotate(autostart.take_error(), "lxc.start.auto");
  entry.autostart = *autostart;
  UXC_ASSIGN_OR_RETURN(auto order, IntegerKey(config, "lxc.start.order"));
  entry.order = order;
  UXC_ASSIGN_OR_RETURN(auto delay, IntegerKey(config, "lxc.start.delay"));
  if (delay < 0) return PlainError("lxc.start.delay must not be negative");
  entry.delay_seconds = delay;
  for (const std::string& groups : config.GetList("lxc.group")) {
    for (const std::string& group : CommaItems(groups)) {
      if (!group.empty()) entry.groups.push_back(group);
    }
  }
  return entry;
}

std::vector<AutostartEntry> AutostartSequence(std::vector<AutostartEntry> entries, const AutostartFilter& filter,
                                              AutostartAction action) {
  std::vector<AutostartEntry> chosen;
  for (AutostartEntry& entry : entries) {
    if (entry.autostart && InSelectedGroup(entry, filter)) chosen.push_back(std::move(entry));
  }
  std::sort(chosen.begin(), chosen.end(), [](const AutostartEntry& a, const AutostartEntry& b) {
    return a.order != b.order ? a.order < b.order : a.name < b.name;
  });
  if (action == AutostartAction::kStop) std::reverse(chosen.begin(), chosen.end());
  return chosen;
}

}  // namespace uxc::cli

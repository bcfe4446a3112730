#include "config/container_config.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "config/text_util.h"

namespace uxc::config {

std::string Origin::ToString() const {
  if (line == 0) return file;
  return file + ":" + std::to_string(line);
}

std::string Warning::ToString() const { return origin.ToString() + ": " + message; }

std::optional<std::string> ContainerConfig::Get(std::string_view key) const {
  for (auto entry = entries_.rbegin(); entry != entries_.rend(); ++entry) {
    if (entry->key == key) return entry->value;
  }
  return std::nullopt;
}

const Entry* ContainerConfig::EffectiveEntry(std::string_view key) const {
  for (auto entry = entries_.rbegin(); entry != entries_.rend(); ++entry) {
    if (entry->key == key) return &*entry;
  }
  return nullptr;
}

std::string WhereSet(const ContainerConfig& config, std::string_view key) {
  const Entry* entry = config.EffectiveEntry(key);
  if (entry == nullptr) return std::string(key);
  return entry->origin.ToString() + ": " + std::string(key);
}

std::string ContainerConfig::GetOr(std::string_view key, std::string_view fallback) const {
  std::optional<std::string> value = Get(key);
  return value.has_value() ? *value : std::string(fallback);
}

std::vector<std::string> ContainerConfig::GetList(std::string_view key) const {
  std::vector<std::string> values;
  for (const Entry& entry : entries_) {
    if (entry.key == key) values.push_back(entry.value);
  }
  return values;
}

std::vector<std::string> ContainerConfig::KeysWithPrefix(std::string_view prefix) const {
  std::vector<std::string> keys;
  for (const Entry& entry : entries_) {
    if (StartsWith(entry.key, prefix) &&
        std::find(keys.begin(), keys.end(), entry.key) == keys.end()) {
      keys.push_back(entry.key);
    }
  }
  return keys;
}

std::vector<int> ContainerConfig::NetIndices() const {
  std::vector<int> indices;
  constexpr std::string_view kPrefix = "lxc.net.";
  for (const Entry& entry : entries_) {
    if (!StartsWith(entry.key, kPrefix)) continue;
    std::string_view rest = std::string_view(entry.key).substr(kPrefix.size());
    int index;
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), index);
    if (ec != std::errc() || end == rest.data() || *end != '.') continue;
    if (std::find(indices.begin(), indices.end(), index) == indices.end()) {
      indices.push_back(index);
    }
  }
  std::sort(indices.begin(), indices.end());
  return indices;
}

namespace {

// The user's config directory per the XDG base directory spec: a relative
// $XDG_CONFIG_HOME is ignored.
std::string UserConfigHome() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg != nullptr && xdg[0] == '/') return xdg;
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.config";
  struct passwd entry;
  struct passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(getuid(), &entry, buffer, sizeof(buffer), &found) == 0 && found != nullptr &&
      found->pw_dir != nullptr && found->pw_dir[0] == '/') {
    return std::string(found->pw_dir) + "/.config";
  }
  return "";
}

}  // namespace

LoadRequest StandardLayers(const std::string& container_config, const std::string& system_dir) {
  LoadRequest request;
  request.layers.push_back({system_dir + "/default.conf", /*optional=*/true});
  if (std::string user_config = UserConfigHome(); !user_config.empty()) {
    request.layers.push_back({user_config + "/uxc/default.conf", /*optional=*/true});
  }
  request.layers.push_back({container_config, /*optional=*/false});
  return request;
}

}  // namespace uxc::config

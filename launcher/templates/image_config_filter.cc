#include "launcher/templates/image_config_filter.h"

#include <string_view>

#include "config/deprecated_keys.h"
#include "config/text_util.h"

namespace uxc::templates {
namespace {

using config::StartsWith;

constexpr std::string_view kRunsProgram = "runs a host program";
constexpr std::string_view kReadsFile = "reads a host file";
constexpr std::string_view kWritesFile = "writes a host file";
constexpr std::string_view kHostIds = "picks the host ids or paths the container uses";
constexpr std::string_view kSharesNamespace = "shares a namespace with the host";

std::string_view Unquoted(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

// The key as LXC 3 names it (lxc.id_map is lxc.idmap, lxc.network.0.x is
// lxc.net.0.x, un-indexed lxc.network.x is lxc.net.?.x).
std::string CurrentKey(std::string_view key) {
  auto deprecated = config::FindDeprecatedKey(key);
  if (!deprecated) return std::string(key);
  switch (deprecated->action) {
    case config::DeprecatedKey::Action::kRename:
      return deprecated->current_key;
    case config::DeprecatedKey::Action::kLegacyNetwork:
      return "lxc.net.?." + deprecated->net_subkey;
    case config::DeprecatedKey::Action::kIgnore:
      break;
  }
  return std::string(key);
}

// "script.up" for lxc.net.0.script.up; "" for keys outside lxc.net.N.
std::string_view NetSubkey(std::string_view key) {
  if (!StartsWith(key, "lxc.net.")) return {};
  std::string_view rest = key.substr(8);
  size_t dot = rest.find('.');
  return dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
}

bool HasDotDotComponent(std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

std::string WhyKeyReachesHost(const std::string& key, std::string_view value) {
  if (StartsWith(key, "lxc.hook.") && key != "lxc.hook.version") return std::string(kRunsProgram);
  std::string_view net = NetSubkey(key);
  if (net == "script.up" || net == "script.down") return std::string(kRunsProgram);
  if (net == "type" && value == "none") return std::string(kSharesNamespace);
  if (key == "lxc.include") {
    bool shipped = StartsWith(value, "LXC_TEMPLATE_CONFIG/") && !HasDotDotComponent(value);
    return shipped ? "" : std::string(kReadsFile) + " (only LXC_TEMPLATE_CONFIG/... is kept)";
  }
  if (key == "lxc.mount.fstab") return std::string(kReadsFile);
  if (key == "lxc.mount.entry") return WhyMountEntryReachesHost(std::string(value));
  if (key == "lxc.console.logfile" || key == "lxc.log.file") return std::string(kWritesFile);
  if (key == "lxc.idmap" || key == "lxc.rootfs.path" || key == "lxc.rootfs.mount") return std::string(kHostIds);
  if (key == "lxc.namespace.clone" || key == "lxc.namespace.keep" || StartsWith(key, "lxc.namespace.share.")) {
    return std::string(kSharesNamespace);
  }
  return "";
}

template <typename Why>
FilteredImageText Filter(const std::string& text, Why why_line) {
  FilteredImageText filtered;
  size_t start = 0;
  int number = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    std::string why = why_line(Trim(line));
    if (why.empty()) {
      filtered.text += line + "\n";
      continue;
    }
    filtered.left_out.push_back({number, line, why});
    filtered.text += "# left out by uxc create (it " + why + "): " + line + "\n";
  }
  return filtered;
}

}  // namespace

std::string WhyMountEntryReachesHost(const std::string& entry) {
  std::vector<std::string_view> fields = config::SplitFields(entry);
  std::string_view source = fields.size() > 0 ? fields[0] : "";
  std::string_view type = fields.size() > 2 ? fields[2] : "";
  std::string_view options = fields.size() > 3 ? fields[3] : "";
  const std::string mounts = "mounts a host path into the container";
  if (type == "bind" || type == "rbind") return mounts;
  if (StartsWith(source, "/") || StartsWith(source, "LXC_") || StartsWith(source, ".")) return mounts;
  size_t begin = 0;
  while (begin <= options.size()) {
    size_t comma = options.find(',', begin);
    if (comma == std::string_view::npos) comma = options.size();
    std::string_view option = options.substr(begin, comma - begin);
    begin = comma + 1;
    if (option == "bind" || option == "rbind") return mounts;
    size_t equals = option.find('=');
    if (equals == std::string_view::npos) continue;
    std::string_view value = option.substr(equals + 1);
    if (value.find('/') != std::string_view::npos || StartsWith(value, "LXC_")) return mounts;
  }
  return "";
}

FilteredImageText FilterImageConfig(const std::string& config) {
  return Filter(config, [](std::string_view line) -> std::string {
    if (line.empty() || line.front() == '#') return "";
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) return "";
    std::string key = CurrentKey(Trim(line.substr(0, equals)));
    return WhyKeyReachesHost(key, Unquoted(Trim(line.substr(equals + 1))));
  });
}

FilteredImageText FilterImageFstab(const std::string& fstab) {
  return Filter(fstab, [](std::string_view line) -> std::string {
    if (line.empty() || line.front() == '#') return "";
    return WhyMountEntryReachesHost(std::string(line));
  });
}

}  // namespace uxc::templates

#include "launcher/templates/config_assembly.h"

#include <string_view>
#include <vector>

#include "base/text.h"

namespace uxc::templates {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

struct SplitDefaults {
  std::string comments;  // lines that set no key
  std::string keys;
  std::string network;
};

SplitDefaults Split(const std::string& defaults) {
  SplitDefaults split;
  size_t start = 0;
  while (start < defaults.size()) {
    size_t end = defaults.find('\n', start);
    if (end == std::string::npos) end = defaults.size();
    std::string line = defaults.substr(start, end - start) + "\n";
    start = end + 1;
    std::string_view trimmed = Trim(line);
    if (StartsWith(trimmed, "lxc.net.") || StartsWith(trimmed, "lxc.network.")) {
      split.network += line;
    } else if (StartsWith(trimmed, "lxc.") || StartsWith(trimmed, "uxc.")) {
      split.keys += line;
    } else if (!trimmed.empty()) {
      split.comments += line;
    }
  }
  return split;
}

void AppendSection(std::string& out, const std::string& title, const std::string& body) {
  if (body.empty()) return;
  out += "\n# " + title + "\n" + body;
  if (out.back() != '\n') out += '\n';
}

}  // namespace

std::string AssembleConfig(const ConfigParts& parts) {
  SplitDefaults defaults = Split(parts.defaults);
  std::string config = "# Made by `uxc create -t " + parts.template_name + "`.\n" + defaults.comments;
  AppendSection(config, "Distribution configuration", parts.distribution);
  std::string specific = defaults.keys + "lxc.rootfs.path = " + parts.rootfs + "\n";
  if (!parts.fstab_path.empty()) specific += "lxc.mount.fstab = " + parts.fstab_path + "\n";
  specific += "lxc.uts.name = " + parts.name + "\n";
  AppendSection(config, "Container specific configuration", specific);
  AppendSection(config, "Network configuration", defaults.network);
  return config;
}

}  // namespace uxc::templates

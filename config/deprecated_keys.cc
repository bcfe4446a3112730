#include "config/deprecated_keys.h"

#include <array>

#include "config/text_util.h"

namespace uxc::config {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 21> kRenamed = {{
    {"lxc.id_map", "lxc.idmap"},
    {"lxc.pts", "lxc.pty.max"},
    {"lxc.tty", "lxc.tty.max"},
    {"lxc.devttydir", "lxc.tty.dir"},
    {"lxc.aa_profile", "lxc.apparmor.profile"},
    {"lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete"},
    {"lxc.se_context", "lxc.selinux.context"},
    {"lxc.mount", "lxc.mount.fstab"},
    {"lxc.utsname", "lxc.uts.name"},
    {"lxc.seccomp", "lxc.seccomp.profile"},
    {"lxc.console", "lxc.console.path"},
    {"lxc.haltsignal", "lxc.signal.halt"},
    {"lxc.rebootsignal", "lxc.signal.reboot"},
    {"lxc.stopsignal", "lxc.signal.stop"},
    {"lxc.syslog", "lxc.log.syslog"},
    {"lxc.loglevel", "lxc.log.level"},
    {"lxc.logfile", "lxc.log.file"},
    {"lxc.init_cmd", "lxc.init.cmd"},
    {"lxc.init_uid", "lxc.init.uid"},
    {"lxc.init_gid", "lxc.init.gid"},
    {"lxc.rootfs", "lxc.rootfs.path"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kIgnored = {{
    {"lxc.rootfs.backend",
     "the storage type is now a prefix of lxc.rootfs.path (e.g. dir:/path)"},
    {"lxc.pivotdir", "pivot_root needs no directory since LXC 2.1"},
    {"lxc.kmsg", "/dev/kmsg is no longer linked to the console since LXC 2.1"},
}};

constexpr std::string_view kNetwork = "lxc.network";

// "ipv4" and "ipv6" held addresses in LXC 2.x; they are "ipv4.address" now.
std::string CurrentNetSubkey(std::string_view subkey) {
  if (subkey == "ipv4" || subkey == "ipv6") return std::string(subkey) + ".address";
  return std::string(subkey);
}

std::optional<DeprecatedKey> FindNetworkKey(std::string_view key) {
  if (key == kNetwork) return DeprecatedKey{DeprecatedKey::Action::kRename, "lxc.net", "", ""};
  if (!StartsWith(key, "lxc.network.")) return std::nullopt;
  std::string_view rest = key.substr(kNetwork.size() + 1);
  size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
  if (digits == 0) {
    return DeprecatedKey{DeprecatedKey::Action::kLegacyNetwork, "", "", CurrentNetSubkey(rest)};
  }
  std::string current = "lxc.net." + std::string(rest.substr(0, digits));
  std::string_view subkey = rest.substr(digits);
  if (!subkey.empty()) {
    if (subkey[0] != '.') return std::nullopt;
    current += "." + CurrentNetSubkey(subkey.substr(1));
  }
  return DeprecatedKey{DeprecatedKey::Action::kRename, current, "", ""};
}

}  // namespace

std::optional<DeprecatedKey> FindDeprecatedKey(std::string_view key) {
  for (const auto& [old_key, current_key] : kRenamed) {
    if (key == old_key) {
      return DeprecatedKey{DeprecatedKey::Action::kRename, std::string(current_key), "", ""};
    }
  }
  for (const auto& [old_key, reason] : kIgnored) {
    if (key == old_key) return DeprecatedKey{DeprecatedKey::Action::kIgnore, "", std::string(reason), ""};
  }
  if (key == "lxc.limit") return DeprecatedKey{DeprecatedKey::Action::kRename, "lxc.prlimit", "", ""};
  if (StartsWith(key, "lxc.limit.")) {
    return DeprecatedKey{DeprecatedKey::Action::kRename,
                         "lxc.prlimit." + std::string(key.substr(10)), "", ""};
  }
  // LXC 2.1 also took un-indexed lxc.net.<subkey>, like lxc.network.<subkey>.
  if (StartsWith(key, "lxc.net.") && key.size() > 8 && !(key[8] >= '0' && key[8] <= '9')) {
    return DeprecatedKey{DeprecatedKey::Action::kLegacyNetwork, "", "",
                         CurrentNetSubkey(key.substr(8))};
  }
  return FindNetworkKey(key);
}

}  // namespace uxc::config

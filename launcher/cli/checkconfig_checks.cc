#include "launcher/cli/checkconfig_checks.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "config/content_lines.h"
#include "config/free_subid_range.h"
#include "kernel/cgroup_layout.h"
#include "launcher/cli/checkconfig_controllers.h"

namespace uxc::cli {
namespace {

using kernel::CgroupLayout;
using kernel::CgroupMode;
using kernel::ParseCgroupLayout;
using kernel::V1Controllers;


std::string Join(const std::vector<std::string>& words, const std::string& separator) {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : separator) + word;
  return text;
}

bool Contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

std::string WhoAmI(const HostFacts& facts) {
  return facts.user.empty() ? "uid " + std::to_string(facts.uid) : facts.user;
}

// ---- Kernel ----

Check CheckNamespaces(const HostFacts& facts) {
  static const std::map<std::string, std::string> kNeeded = {
      {"cgroup", "CONFIG_CGROUPS"}, {"ipc", "CONFIG_IPC_NS"}, {"mnt", "CONFIG_NAMESPACES"},
      {"net", "CONFIG_NET_NS"},     {"pid", "CONFIG_PID_NS"}, {"user", "CONFIG_USER_NS"},
      {"uts", "CONFIG_UTS_NS"}};
  std::vector<std::string> missing;
  std::vector<std::string> options;
  for (const auto& [name, option] : kNeeded) {
    if (Contains(facts.namespaces, name)) continue;
    missing.push_back(name);
    options.push_back(option);
  }
  if (missing.empty()) return {"Kernel", CheckStatus::kOk, "namespaces", Join(facts.namespaces, " "), ""};
  return {"Kernel", CheckStatus::kMissing, "namespaces", "/proc/self/ns lacks " + Join(missing, ", "),
          "boot a kernel built with " + Join(options, ", ")};
}

// "y", "m" or "" for one CONFIG_ option.
std::string ConfigValue(const std::string& config, const std::string& option) {
  for (const config::ContentLine& line : config::ContentLines(config)) {
    if (line.text.starts_with(option + "=")) return std::string(line.text.substr(option.size() + 1));
  }
  return "";
}

Check CheckKernelConfig(const HostFacts& facts) {
  if (facts.kernel_config_source.empty()) {
    return {"Kernel", CheckStatus::kInfo, "kernel config",
            "neither /proc/config.gz nor /boot/config-" + facts.kernel_release +
                " is readable; the namespace checks above test the running kernel instead",
            ""};
  }
  static const std::vector<std::string> kNeeded = {"CONFIG_NAMESPACES", "CONFIG_USER_NS", "CONFIG_PID_NS",
                                                   "CONFIG_NET_NS",     "CONFIG_UTS_NS",  "CONFIG_IPC_NS",
                                                   "CONFIG_CGROUPS"};
  static const std::vector<std::string> kUseful = {"CONFIG_VETH", "CONFIG_BRIDGE", "CONFIG_SECCOMP_FILTER",
                                                   "CONFIG_MEMCG", "CONFIG_CGROUP_PIDS"};
  std::vector<std::string> missing_needed;
  std::vector<std::string> missing_useful;
  for (const std::string& option : kNeeded) {
    if (ConfigValue(facts.kernel_config, option).empty()) missing_needed.push_back(option);
  }
  for (const std::string& option : kUseful) {
    std::string value = ConfigValue(facts.kernel_config, option);
    if (value != "y" && value != "m") missing_useful.push_back(option);
  }
  std::string source = "(" + facts.kernel_config_source + ")";
  if (!missing_needed.empty()) {
    return {"Kernel", CheckStatus::kMissing, "kernel config", source + " lacks " + Join(missing_needed, ", "),
            "boot a kernel built with them"};
  }
  if (!missing_useful.empty()) {
    return {"Kernel", CheckStatus::kLimited, "kernel config",
            source + " has the namespaces, but lacks " + Join(missing_useful, ", ") +
                " (veth networking, seccomp or cgroup limits need them)",
            "boot a kernel built with them"};
  }
  return {"Kernel", CheckStatus::kOk, "kernel config",
          source + " has namespaces, cgroups, veth, bridge, seccomp filters, memcg and pids", ""};
}

std::vector<Check> CheckUserNamespaceSysctls(const HostFacts& facts) {
  std::vector<Check> checks;
  if (!facts.max_user_namespaces) {
    checks.push_back({"Kernel", CheckStatus::kMissing, "max_user_namespaces",
                      "/proc/sys/user/max_user_namespaces is missing: the kernel has no user namespaces",
                      "boot a kernel built with CONFIG_USER_NS"});
  } else if (*facts.max_user_namespaces == "0") {
    checks.push_back({"Kernel", CheckStatus::kMissing, "max_user_namespaces", "user.max_user_namespaces = 0",
                      "ask root to run `sysctl -w user.max_user_namespaces=15000` and to put "
                      "`user.max_user_namespaces = 15000` in /etc/sysctl.d/uxc.conf"});
  } else {
    checks.push_back({"Kernel", CheckStatus::kOk, "max_user_namespaces",
                      "user.max_user_namespaces = " + *facts.max_user_namespaces, ""});
  }
  if (facts.unprivileged_userns_clone && *facts.unprivileged_userns_clone == "0") {
    checks.push_back({"Kernel", CheckStatus::kMissing, "unprivileged_userns_clone",
                      "kernel.unprivileged_userns_clone = 0: only root may make user namespaces",
                      "ask root to run `sysctl -w kernel.unprivileged_userns_clone=1` and to put it in "
                      "/etc/sysctl.d/uxc.conf"});
  }
  if (facts.apparmor_restrict_userns && *facts.apparmor_restrict_userns == "1") {
    checks.push_back({"Kernel", CheckStatus::kMissing, "apparmor userns restriction",
                      "kernel.apparmor_restrict_unprivileged_userns = 1: AppArmor strips capabilities inside "
                      "user namespaces made by unconfined programs",
                      "ask root to give uxc an AppArmor profile with `userns,` or to run `sysctl -w "
                      "kernel.apparmor_restrict_unprivileged_userns=0`"});
  }
  if (facts.userns_probe_errno == 0) {
    checks.push_back({"Kernel", CheckStatus::kOk, "user namespace", "unshare(CLONE_NEWUSER) works as " +
                                                                        WhoAmI(facts), ""});
  } else {
    checks.push_back({"Kernel", CheckStatus::kMissing, "user namespace",
                      "unshare(CLONE_NEWUSER) as " + WhoAmI(facts) + " failed: " +
                          std::strerror(facts.userns_probe_errno),
                      "see the sysctl lines above; a seccomp or LSM policy may also forbid it"});
  }
  return checks;
}

// ---- Cgroups ----

Check CheckCgroupLayout(const HostFacts& facts, const CgroupLayout& layout) {
  std::string v2_controllers =
      facts.cgroup2_root_controllers.empty() ? "no controllers" : "controllers: " + facts.cgroup2_root_controllers;
  std::string v1 = "cgroup v1 controllers (" + Join(V1Controllers(layout), ", ") + ")";
  switch (layout.mode) {
    case CgroupMode::kNone:
      return {"Cgroups", CheckStatus::kLimited, "layout", "no cgroup file system is mounted",
              "ask root to mount cgroup2: `mount -t cgroup2 none /sys/fs/cgroup`"};
    case CgroupMode::kLegacy:
      return {"Cgroups", CheckStatus::kLimited, "layout",
              "v1 only: " + v1 + " and no cgroup2; uxc uses cgroup2 only, so containers run without limits",
              "boot with systemd.unified_cgroup_hierarchy=1, or ask root to mount cgroup2"};
    case CgroupMode::kHybrid:
      return {"Cgroups", CheckStatus::kOk, "layout",
              "hybrid: " + v1 + " under /sys/fs/cgroup/*, cgroup2 at " + layout.v2_mount->mount_point + " with " +
                  v2_controllers,
              ""};
    case CgroupMode::kUnified:
      return {"Cgroups", CheckStatus::kOk, "layout",
              "v2: cgroup2 at " + layout.v2_mount->mount_point + " with " + v2_controllers, ""};
  }
  return {};
}

Check CheckDelegation(const HostFacts& facts, const CgroupLayout& layout) {
  const std::string fix_delegation =
      "ask root to add `session optional pam_uxc.so` to /etc/pam.d/common-session (docs/pam.md) and log in "
      "again, or start uxc under `systemd-run --user --scope -p Delegate=yes`";
  if (!facts.own_cgroup2) {
    return {"Cgroups", CheckStatus::kLimited, "delegation",
            "your cgroup v2 (" + layout.v2_path.value_or("no 0:: line in /proc/self/cgroup") +
                ") is not under the cgroup2 mount; containers start without a cgroup of their own",
            fix_delegation};
  }
  const Cgroup2DirFacts& own = *facts.own_cgroup2;
  if (!own.writable) {
    return {"Cgroups", CheckStatus::kLimited, "delegation",
            "your cgroup " + own.path + " is not writable by " + WhoAmI(facts) +
                ": nothing is delegated to you, so containers start without a cgroup of their own or limits",
            fix_delegation};
  }
  if (own.controllers.empty()) {
    bool hybrid = layout.mode == CgroupMode::kHybrid;
    return {"Cgroups", CheckStatus::kLimited, "delegation",
            own.path + " is yours, but no controllers are available in it: lxc.cgroup2.* limits cannot be set",
            hybrid ? "the controllers are bound to cgroup v1 here: boot with systemd.unified_cgroup_hierarchy=1"
                   : "ask root to enable controllers in the parent's cgroup.subtree_control"};
  }
  std::string enabled = own.subtree_control.empty() ? "" : " (enabled for sub-cgroups: " + own.subtree_control + ")";
  return {"Cgroups", CheckStatus::kOk, "delegation",
          own.path + " is yours; controllers you can use: " + own.controllers + enabled, ""};
}

// ---- Subordinate ids ----

// A range no one else holds in either file, for the fix hints: one range
// suits both flags, and matches what the caller already has in the other file.
std::string FreeRange(const HostFacts& facts) {
  return config::FreeSubidRange({config::OthersRanges(facts.subuid.records, facts.user, facts.uid),
                                 config::OthersRanges(facts.subgid.records, facts.user, facts.uid)});
}

Check CheckSubidFile(const FileFacts<config::SubidRange>& file, const HostFacts& facts, const std::string& kind) {
  std::string subject = file.path;
  std::string add = "usermod --add-sub" + kind + "s ";
  std::string who = facts.user.empty() ? std::to_string(facts.uid) : facts.user;
  if (file.error && file.error->errno_value == ENOENT) {
    return {"Ids", CheckStatus::kMissing, subject, file.path + " does not exist",
            "ask root to run `" + add + FreeRange(facts) + " " + who + "`"};
  }
  if (file.error) {
    return {"Ids", CheckStatus::kMissing, subject, file.error->ToString(), "ask root to fix " + file.path};
  }
  std::vector<config::SubidRange> mine = config::RangesFor(file.records, facts.user, facts.uid);
  if (mine.empty()) {
    return {"Ids", CheckStatus::kMissing, subject, "no entry for " + WhoAmI(facts),
            "ask root to run `" + add + FreeRange(facts) + " " + who + "`"};
  }
  uint64_t total = 0;
  for (const config::SubidRange& range : mine) total += range.count;
  std::string detail = WhoAmI(facts) + " has " + config::DescribeRanges(mine);
  if (total < config::kFullSubidRange) {
    return {"Ids", CheckStatus::kLimited, subject,
            detail + ", fewer than the 65536 ids a distribution's files use",
            "ask root to run `" + add + FreeRange(facts) + " " + who + "`"};
  }
  return {"Ids", CheckStatus::kOk, subject, detail, ""};
}

// ---- Helpers ----

Check CheckHelper(const HelperFacts& helper) {
  bool needed = helper.name != "uxc-user-nic" && !helper.optional;
  CheckStatus missing = needed ? CheckStatus::kMissing : CheckStatus::kLimited;
  std::string purpose = needed ? "maps your subordinate ids" : "gives containers veth nics";
  std::string not_found = "not found next to uxc, in its prefix's libexec/uxc or on PATH (it ";
  if (helper.optional) {
    purpose = "writes both id maps in one exec; without it uxc runs uxc-newuidmap and uxc-newgidmap";
    if (helper.bypassed) {
      return {"Helpers", CheckStatus::kOk, helper.name,
              "not used: uxc.conf sets uxc.newuidmap or uxc.newgidmap, so uxc runs that pair", ""};
    }
    if (helper.path.empty()) {
      return {"Helpers", missing, helper.name, not_found + purpose + ")",
              "install uxc's helpers (tools/install)"};
    }
  }
  if (helper.path.empty() && !helper.configured.empty()) {
    return {"Helpers", missing, helper.name,
            helper.setting + " = " + helper.configured + " in uxc.conf, but no executable file is there",
            "fix " + helper.setting + " in uxc.conf"};
  }
  if (helper.path.empty()) {
    return {"Helpers", missing, helper.name, not_found + purpose + ")",
            "install uxc's helpers (tools/install), or set " + helper.setting + " in ~/.config/uxc/uxc.conf"};
  }
  if (!helper.setuid_root && !helper.file_capabilities) {
    return {"Helpers", missing, helper.name, helper.path + " is not setuid root (it " + purpose + ")",
            "ask root to run `chown root:root " + helper.path + " && chmod 4755 " + helper.path + "`"};
  }
  return {"Helpers", CheckStatus::kOk, helper.name,
          helper.path + (helper.setuid_root ? " (setuid root)" : " (file capabilities)"), ""};
}

// ---- Network ----

std::string UsernetExample(const HostFacts& facts) {
  return "`" + (facts.user.empty() ? std::to_string(facts.uid) : facts.user) + " veth uxcbr0 2`";
}

std::vector<Check> CheckUsernetLines(const HostFacts& facts) {
  std::vector<config::UsernetEntry> mine =
      config::EntriesFor(facts.usernet.records, facts.user, facts.groups);
  if (mine.empty()) {
    return {{"Network", CheckStatus::kLimited, "usernet",
             facts.usernet.path + " has no line for " + WhoAmI(facts) + " or the groups " + Join(facts.groups, ", ") +
                 ": no veth networking",
             "ask root to add a line like " + UsernetExample(facts) + " to " + facts.usernet.path}};
  }
  std::vector<std::pair<std::string, std::string>> keys;  // (type, bridge) in file order
  for (const config::UsernetEntry& entry : mine) {
    std::pair<std::string, std::string> key{entry.type, entry.bridge};
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  }
  std::vector<Check> checks;
  for (const auto& [type, bridge] : keys) {
    config::UsernetAllowance allowance = config::AllowanceFor(facts.usernet.records, facts.user, facts.groups,
                                                               type, bridge);
    std::string used = "in use: unknown (" + (facts.nic_db.error ? facts.nic_db.error->ToString() : "") + ")";
    if (!facts.nic_db.error || facts.nic_db.error->errno_value == ENOENT) {
      uint64_t count = 0;
      for (const config::UsernetEntry& entry : allowance.entries) {
        count += config::NicsHeldBy(facts.nic_db.records, entry.owner, type, bridge);
      }
      used = "in use: " + std::to_string(count);
    }
    std::string detail = std::to_string(allowance.total) + " " + type + " nic(s) on " + bridge + " (" +
                         config::DescribeEntries(allowance.entries) + "); " + used;
    auto bridge_state = facts.bridges.find(bridge);
    if (bridge != "none" && bridge_state != facts.bridges.end() && !bridge_state->second) {
      checks.push_back({"Network", CheckStatus::kLimited, "usernet", detail + "; but there is no bridge " + bridge,
                        "ask root to create it: `ip link add " + bridge + " type bridge && ip link set " + bridge +
                            " up`"});
    } else {
      checks.push_back({"Network", CheckStatus::kOk, "usernet", detail, ""});
    }
  }
  return checks;
}

}  // namespace

std::vector<Check> CheckKernel(const HostFacts& facts) {
  std::vector<Check> checks = {CheckNamespaces(facts), CheckKernelConfig(facts)};
  for (Check& check : CheckUserNamespaceSysctls(facts)) checks.push_back(std::move(check));
  return checks;
}

std::vector<Check> CheckCgroups(const HostFacts& facts) {
  CgroupLayout layout = ParseCgroupLayout(facts.mountinfo, facts.self_cgroup);
  std::vector<Check> checks = {CheckCgroupLayout(facts, layout)};
  if (layout.v2_mount) checks.push_back(CheckDelegation(facts, layout));
  if (!layout.v2_mount) return checks;
  for (Check& check : CheckControllers(facts, layout)) checks.push_back(std::move(check));
  return checks;
}

std::vector<Check> CheckSubordinateIds(const HostFacts& facts) {
  return {CheckSubidFile(facts.subuid, facts, "uid"), CheckSubidFile(facts.subgid, facts, "gid")};
}

// ---- The container path ----

// Container root runs on the host as the first subordinate uid and gid; it
// must be able to search every directory above its rootfs (Debian 12's
// adduser makes homes 0700, which stops it at the user's home).
std::vector<Check> CheckContainerPath(const HostFacts& facts) {
  std::vector<config::SubidRange> uids = config::RangesFor(facts.subuid.records, facts.user, facts.uid);
  std::vector<config::SubidRange> gids = config::RangesFor(facts.subgid.records, facts.user, facts.uid);
  if (facts.container_path_dirs.empty() || uids.empty() || gids.empty()) return {};
  uid_t root_uid = static_cast<uid_t>(uids.front().start);
  gid_t root_gid = static_cast<gid_t>(gids.front().start);
  std::vector<Check> blocked;
  for (const DirectoryFacts& dir : facts.container_path_dirs) {
    if (MaySearch(dir, root_uid, root_gid)) continue;
    char mode[8];
    snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(dir.mode & 07777));
    std::string who = dir.uid == facts.uid ? "" : "ask root to run ";
    blocked.push_back({"Container path", CheckStatus::kMissing, dir.path,
                       "container root (host uid " + std::to_string(root_uid) + ") cannot enter it (mode " +
                           mode + (dir.acl.empty() ? "" : " with an ACL") + "), so create and start fail",
                       (who.empty() ? "run " : who) + "`setfacl -m u:" + std::to_string(root_uid) + ":x " +
                           dir.path + "` (only container root may pass), or `chmod o+x " + dir.path + "`"});
  }
  if (!blocked.empty()) return blocked;
  return {{"Container path", CheckStatus::kOk, facts.container_path,
           "container root (host uid " + std::to_string(root_uid) + ") can reach it", ""}};
}

std::vector<Check> CheckHelpers(const HostFacts& facts) {
  std::vector<Check> checks;
  for (const HelperFacts& helper : facts.helpers) checks.push_back(CheckHelper(helper));
  return checks;
}

std::vector<Check> CheckNetwork(const HostFacts& facts) {
  if (facts.usernet.error && facts.usernet.error->errno_value == ENOENT) {
    return {{"Network", CheckStatus::kLimited, "usernet",
             "no " + facts.usernet.path + ": containers get lxc.net.0.type = empty or none, not veth",
             "ask root to create it with a line like " + UsernetExample(facts) + " (docs/usernet.md)"}};
  }
  if (facts.usernet.error) {
    return {{"Network", CheckStatus::kLimited, "usernet", facts.usernet.error->ToString(),
             "ask root to fix " + facts.usernet.path}};
  }
  return CheckUsernetLines(facts);
}

std::vector<Check> CheckHost(const HostFacts& facts) {
  std::vector<Check> checks;
  if (facts.settings_error) {
    checks.push_back({"Settings", CheckStatus::kMissing, "uxc.conf", facts.settings_error->ToString(),
                      "fix the file named above"});
  }
  for (auto part : {CheckKernel, CheckCgroups, CheckSubordinateIds, CheckContainerPath, CheckHelpers, CheckNetwork}) {
    for (Check& check : part(facts)) checks.push_back(std::move(check));
  }
  return checks;
}

std::string FormatReport(const HostFacts& facts, const std::vector<Check>& checks) {
  static const std::map<CheckStatus, std::string> kLabels = {
      {CheckStatus::kOk, "OK"}, {CheckStatus::kMissing, "MISSING"}, {CheckStatus::kLimited, "LIMITED"},
      {CheckStatus::kInfo, "INFO"}};
  std::string report = "uxc checkconfig for " + WhoAmI(facts) + " (uid " + std::to_string(facts.uid) + ")" +
                       (facts.kernel_release.empty() ? "" : ", kernel " + facts.kernel_release) + "\n";
  std::string section;
  int missing = 0;
  int limited = 0;
  for (const Check& check : checks) {
    if (check.section != section) {
      section = check.section;
      report += "\n" + section + "\n";
    }
    std::string label = kLabels.at(check.status);
    label.resize(9, ' ');
    report += "  " + label + check.subject + ": " + check.detail + "\n";
    if (!check.fix.empty()) report += "           fix: " + check.fix + "\n";
    missing += check.status == CheckStatus::kMissing;
    limited += check.status == CheckStatus::kLimited;
  }
  report += "\n";
  if (missing > 0) {
    report += "Not ready: " + std::to_string(missing) +
              " thing(s) unprivileged containers need are missing (lines marked MISSING).\n";
  } else {
    report += "Ready for unprivileged containers";
    report += limited > 0 ? "; " + std::to_string(limited) + " optional feature(s) limited (lines marked LIMITED).\n"
                          : ".\n";
  }
  return report;
}

bool AllNeededPresent(const std::vector<Check>& checks) {
  return std::none_of(checks.begin(), checks.end(),
                      [](const Check& check) { return check.status == CheckStatus::kMissing; });
}

}  // namespace uxc::cli

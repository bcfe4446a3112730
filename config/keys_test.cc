#include "config/keys.h"

#include <gtest/gtest.h>

#include "config/deprecated_keys.h"

namespace uxc::config {
namespace {

// LXC's config_jump_table (src/lxc/confile.c) in LXC 5.0 and in main; the
// entries that match by prefix get an example suffix.
constexpr const char* kLxcKeys[] = {
    "lxc.arch", "lxc.apparmor.profile", "lxc.apparmor.allow_incomplete",
    "lxc.apparmor.allow_nesting", "lxc.apparmor.raw", "lxc.autodev.tmpfs.size", "lxc.autodev",
    "lxc.cap.drop", "lxc.cap.keep", "lxc.cgroup2.memory.max", "lxc.cgroup2",
    "lxc.cgroup.dir.monitor.pivot", "lxc.cgroup.dir.monitor", "lxc.cgroup.dir.container.inner",
    "lxc.cgroup.dir.container", "lxc.cgroup.dir", "lxc.cgroup.relative",
    "lxc.cgroup.devices.allow", "lxc.cgroup", "lxc.console.buffer.size", "lxc.console.logfile",
    "lxc.console.path", "lxc.console.rotate", "lxc.console.size", "lxc.sched.core",
    "lxc.environment.runtime", "lxc.environment.hooks", "lxc.environment", "lxc.ephemeral",
    "lxc.execute.cmd", "lxc.group", "lxc.hook.autodev", "lxc.hook.clone", "lxc.hook.destroy",
    "lxc.hook.mount", "lxc.hook.post-stop", "lxc.hook.pre-mount", "lxc.hook.pre-start",
    "lxc.hook.start", "lxc.hook.start-host", "lxc.hook.stop", "lxc.hook.version", "lxc.hook",
    "lxc.idmap", "lxc.include", "lxc.init.cmd", "lxc.init.gid", "lxc.init.groups",
    "lxc.init.uid", "lxc.init.cwd", "lxc.keyring.session", "lxc.log.file", "lxc.log.level",
    "lxc.log.syslog", "lxc.monitor.unshare", "lxc.monitor.signal.pdeath", "lxc.mount.auto",
    "lxc.mount.entry", "lxc.mount.fstab", "lxc.namespace.clone", "lxc.namespace.keep",
    "lxc.namespace.share.net", "lxc.time.offset.boot", "lxc.time.offset.monotonic", "lxc.net.0",
    "lxc.net", "lxc.no_new_privs", "lxc.prlimit.nofile", "lxc.prlimit", "lxc.pty.max",
    "lxc.rootfs.managed", "lxc.rootfs.mount", "lxc.rootfs.options", "lxc.rootfs.path",
    "lxc.seccomp.allow_nesting", "lxc.seccomp.notify.cookie", "lxc.seccomp.notify.proxy",
    "lxc.seccomp.profile", "lxc.selinux.context.keyring", "lxc.selinux.context",
    "lxc.signal.halt", "lxc.signal.reboot", "lxc.signal.stop", "lxc.start.auto",
    "lxc.start.delay", "lxc.start.order", "lxc.tty.dir", "lxc.tty.max", "lxc.uts.name",
    "lxc.sysctl.net.ipv4.ip_forward", "lxc.sysctl", "lxc.proc.oom_score_adj", "lxc.proc",
};

// config_jump_table_net.
constexpr const char* kLxcNetSubkeys[] = {
    "flags", "hwaddr", "ipv4.address", "ipv4.gateway", "ipv6.address", "ipv6.gateway", "link",
    "l2proxy", "macvlan.mode", "ipvlan.mode", "ipvlan.isolation", "mtu", "name", "script.down",
    "script.up", "type", "vlan.id", "veth.mode", "veth.n_rxqueues", "veth.n_txqueues",
    "veth.pair", "veth.ipv4.route", "veth.ipv6.route", "veth.vlan.id", "veth.vlan.tagged.id",
};

// LXC 2.1's table entries that 3.0 renamed or dropped.
constexpr const char* kLxc2Keys[] = {
    "lxc.network.type", "lxc.network.flags", "lxc.network.link", "lxc.network.name",
    "lxc.network.macvlan.mode", "lxc.network.veth.pair", "lxc.network.script.up",
    "lxc.network.script.down", "lxc.network.hwaddr", "lxc.network.mtu", "lxc.network.vlan.id",
    "lxc.network.ipv4.gateway", "lxc.network.ipv4", "lxc.network.ipv6.gateway",
    "lxc.network.ipv6", "lxc.network.0.type", "lxc.network", "lxc.net.flags", "lxc.net.type",
    "lxc.net.ipv4.address", "lxc.pts", "lxc.devttydir", "lxc.tty", "lxc.aa_profile",
    "lxc.aa_allow_incomplete", "lxc.se_context", "lxc.id_map", "lxc.mount", "lxc.rootfs.backend",
    "lxc.rootfs", "lxc.utsname", "lxc.seccomp", "lxc.console", "lxc.haltsignal",
    "lxc.rebootsignal", "lxc.stopsignal", "lxc.syslog", "lxc.kmsg", "lxc.loglevel", "lxc.logfile",
    "lxc.init_cmd", "lxc.init_uid", "lxc.init_gid", "lxc.limit.nofile", "lxc.limit",
    "lxc.pivotdir",
};

TEST(KeyTable, EveryLxcKeyIsKnown) {
  for (const char* key : kLxcKeys) {
    std::optional<ResolvedKey> resolved = FindKey(key);
    ASSERT_TRUE(resolved.has_value()) << key;
    EXPECT_EQ(resolved->key, key);
  }
  for (const char* subkey : kLxcNetSubkeys) {
    std::string key = std::string("lxc.net.7.") + subkey;
    std::optional<ResolvedKey> resolved = FindKey(key);
    ASSERT_TRUE(resolved.has_value()) << key;
    EXPECT_EQ(resolved->net_index, 7);
  }
}

TEST(KeyTable, EveryLxc2NameIsDeprecatedNotUnknown) {
  for (const char* key : kLxc2Keys) {
    EXPECT_FALSE(FindKey(key).has_value()) << key;
    std::optional<DeprecatedKey> deprecated = FindDeprecatedKey(key);
    ASSERT_TRUE(deprecated.has_value()) << key;
    if (deprecated->action == DeprecatedKey::Action::kRename) {
      EXPECT_TRUE(FindKey(deprecated->current_key).has_value()) << key << " -> "
                                                                << deprecated->current_key;
    }
  }
  EXPECT_EQ(FindDeprecatedKey("lxc.network.ipv4")->net_subkey, "ipv4.address");
  EXPECT_EQ(FindDeprecatedKey("lxc.network.2.ipv6")->current_key, "lxc.net.2.ipv6.address");
  EXPECT_EQ(FindDeprecatedKey("lxc.id_map")->current_key, "lxc.idmap");
  EXPECT_EQ(FindDeprecatedKey("lxc.kmsg")->action, DeprecatedKey::Action::kIgnore);
  EXPECT_FALSE(FindDeprecatedKey("lxc.idmap").has_value());
}

TEST(KeyTable, UnknownKeys) {
  for (const char* key : {"lxc.bogus", "lxc.net.x.type", "lxc.net.0.bogus", "lxc.net.0.", "lxc.",
                          "lxc.cgroup2.", "lxc.prlimit.", "lxc.hook.bogus", "lxc.mount.entries",
                          "uxc.bogus", "lxc.net.99999.type", "lxc.namespace.share."}) {
    EXPECT_FALSE(FindKey(key).has_value()) << key;
  }
}

TEST(KeyTable, PatternsAndKinds) {
  EXPECT_EQ(FindKey("lxc.cgroup2.memory.max")->info->pattern, "lxc.cgroup2.CONTROLLER.FILE");
  EXPECT_EQ(FindKey("lxc.cgroup.dir")->info->pattern, "lxc.cgroup.dir");
  EXPECT_EQ(FindKey("lxc.cgroup.cpuset.cpus")->info->pattern, "lxc.cgroup.CONTROLLER.FILE");
  EXPECT_EQ(FindKey("lxc.net.3")->info->kind, KeyKind::kClearOnly);
  EXPECT_EQ(FindKey("lxc.net.3")->net_index, 3);
  EXPECT_EQ(FindKey("lxc.idmap")->info->kind, KeyKind::kList);
  EXPECT_EQ(FindKey("lxc.mount.auto")->info->kind, KeyKind::kMountAuto);
  EXPECT_EQ(FindKey("lxc.include")->info->kind, KeyKind::kInclude);
}

TEST(KeyTable, ClearGroups) {
  EXPECT_TRUE(ClearsKey("lxc.net", "lxc.net.0.type"));
  EXPECT_TRUE(ClearsKey("lxc.net.1", "lxc.net.1.ipv4.address"));
  EXPECT_FALSE(ClearsKey("lxc.net.1", "lxc.net.10.type"));
  EXPECT_TRUE(ClearsKey("lxc.hook", "lxc.hook.start"));
  EXPECT_FALSE(ClearsKey("lxc.hook", "lxc.hook.version"));
  EXPECT_TRUE(ClearsKey("lxc.cgroup", "lxc.cgroup.devices.allow"));
  EXPECT_FALSE(ClearsKey("lxc.cgroup", "lxc.cgroup.dir"));
  EXPECT_FALSE(ClearsKey("lxc.cgroup", "lxc.cgroup2.memory.max"));
  EXPECT_TRUE(ClearsKey("lxc.prlimit", "lxc.prlimit.nofile"));
}

TEST(KeyTable, EveryKeyHasAReasonUnlessSupported) {
  for (const KeyInfo* info : AllKeys()) {
    if (info->support != Support::kSupported) {
      EXPECT_FALSE(info->reason.empty()) << info->pattern;
    }
    if (info->support == Support::kLimited) {
      EXPECT_EQ(info->reason.substr(0, 9), "ignored: ") << info->pattern;
    }
    EXPECT_FALSE(info->summary.empty()) << info->pattern;
  }
}

TEST(KeyClassification, DependsOnTheValue) {
  EXPECT_EQ(Classify(*FindKey("lxc.net.0.veth.mode"), "router").support, Support::kNeedsRoot);
  EXPECT_EQ(Classify(*FindKey("lxc.rootfs.managed"), "1").support, Support::kSupported);
  EXPECT_EQ(Classify(*FindKey("lxc.ephemeral"), "0").support, Support::kSupported);
  EXPECT_EQ(Classify(*FindKey("lxc.ephemeral"), "1").support, Support::kLimited);
  EXPECT_EQ(Classify(*FindKey("lxc.rootfs.managed"), "0").support, Support::kLimited);
  for (const char* ignored : {"lxc.log.syslog", "lxc.hook.start-host", "lxc.hook.destroy"}) {
    EXPECT_EQ(Classify(*FindKey(ignored), "x").support, Support::kLimited) << ignored;
  }
  for (const char* type : {"empty", "none", "veth"}) {
    EXPECT_EQ(Classify(*FindKey("lxc.net.0.type"), type).support, Support::kSupported) << type;
  }
  for (const char* type : {"phys", "macvlan", "ipvlan", "vlan"}) {
    Classification root = Classify(*FindKey("lxc.net.0.type"), type);
    EXPECT_EQ(root.support, Support::kNeedsRoot) << type;
    EXPECT_NE(root.reason.find(type), std::string::npos);
  }
  EXPECT_EQ(Classify(*FindKey("lxc.cgroup2.devices.allow"), "a").support, Support::kLimited);
  EXPECT_EQ(Classify(*FindKey("lxc.rootfs.path"), "dir:/a").support, Support::kSupported);
  EXPECT_EQ(Classify(*FindKey("lxc.rootfs.path"), "/a").support, Support::kSupported);
  EXPECT_EQ(Classify(*FindKey("lxc.rootfs.path"), "zfs:pool/c1").support, Support::kNeedsRoot);
  EXPECT_EQ(Classify(*FindKey("lxc.rootfs.path"), "/dev/sda1").support, Support::kNeedsRoot);
  EXPECT_EQ(Classify(*FindKey("lxc.sysctl.fs.mqueue.msg_max"), "10").support, Support::kSupported);
  EXPECT_EQ(Classify(*FindKey("lxc.sysctl.kernel.pid_max"), "10").support, Support::kNeedsRoot);
  EXPECT_EQ(Classify(*FindKey("lxc.net.0.mtu"), "1500").support, Support::kSupported);
  EXPECT_EQ(Classify(*FindKey("lxc.net.0.veth.pair"), "veth9").support, Support::kLimited);
  EXPECT_EQ(Classify(*FindKey("lxc.net.0.vlan.id"), "5").support, Support::kNeedsRoot);
}

// What this build cannot do yet is told by the launcher (launcher/engine/build_limits.h);
// the table only applies the limits it is given, after its own classification.
std::string EveryValueLimit(std::string_view, std::string_view value) {
  return value == "later" ? "ignored: not in this build" : "";
}

TEST(KeyClassification, BuildLimitsAddWarningsButNeverHideRoot) {
  const BuildLimit limits[] = {{"lxc.net.N.link", "ignored: no veth"},
                               {"lxc.net.N.veth.mode", "ignored: no veth"},
                               {"lxc.uts.name", {}, EveryValueLimit}};
  Classification link = Classify(*FindKey("lxc.net.3.link"), "br0", limits);
  EXPECT_EQ(link.support, Support::kLimited);
  EXPECT_EQ(link.reason, "ignored: no veth");
  EXPECT_EQ(Classify(*FindKey("lxc.net.3.link"), "br0").support, Support::kSupported);
  EXPECT_EQ(Classify(*FindKey("lxc.net.0.veth.mode"), "bridge", limits).support, Support::kLimited);
  EXPECT_EQ(Classify(*FindKey("lxc.net.0.veth.mode"), "router", limits).support, Support::kNeedsRoot);
  EXPECT_EQ(Classify(*FindKey("lxc.uts.name"), "later", limits).reason, "ignored: not in this build");
  EXPECT_EQ(Classify(*FindKey("lxc.uts.name"), "now", limits).support, Support::kSupported);
}

TEST(KeySuggestion, NearestKeyForTypos) {
  EXPECT_EQ(SuggestKey("lxc.mount.entri"), "lxc.mount.entry");
  EXPECT_EQ(SuggestKey("lxc.mount.entries"), "lxc.mount.entry");
  EXPECT_EQ(SuggestKey("lxc.uts.nmae"), "lxc.uts.name");
  EXPECT_EQ(SuggestKey("lxc.net.2.lnk"), "lxc.net.2.link");
  EXPECT_EQ(SuggestKey("lxc.cgroup2memory.max"), "lxc.cgroup2.memory.max");
  EXPECT_EQ(SuggestKey("lxc.prlimt.nofile"), "lxc.prlimit.nofile");
  EXPECT_EQ(SuggestKey("lxc.apparmor.profil"), "lxc.apparmor.profile");
}

TEST(KeySuggestion, NothingForUnrelatedNames) {
  EXPECT_EQ(SuggestKey("foo"), "");
  EXPECT_EQ(SuggestKey("completely.unrelated.thing"), "");
}

}  // namespace
}  // namespace uxc::config

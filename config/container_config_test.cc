#include "config/container_config.h"

#include <stdlib.h>

#include <gtest/gtest.h>

#include "config/config_test_util.h"

namespace uxc::config {
namespace {

using testing::ScratchDir;

Result<ContainerConfig> Parse(const std::string& text) {
  return ParseContainerConfigText(text, "c.conf");
}

// The error message of a failed load; fails the test when it loaded.
std::string ErrorText(const Result<ContainerConfig>& result) {
  EXPECT_FALSE(result.ok());
  return result.ok() ? std::string() : result.error().ToString();
}

std::vector<std::string> WarningTexts(const ContainerConfig& config) {
  std::vector<std::string> texts;
  for (const Warning& warning : config.warnings()) texts.push_back(warning.ToString());
  return texts;
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

// ---- Line syntax ----

TEST(ConfigSyntax, CommentsBlanksWhitespaceAndQuotes) {
  Result<ContainerConfig> config = Parse(
      "# a comment\n"
      "\n"
      "   lxc.uts.name   =   web   \n"
      "\t# indented comment\n"
      "lxc.init.cmd = \"/sbin/init --log-level=info\"\n"
      "lxc.init.cwd='/srv'\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->Get("lxc.uts.name"), "web");
  EXPECT_EQ(config->Get("lxc.init.cmd"), "/sbin/init --log-level=info");
  EXPECT_EQ(config->Get("lxc.init.cwd"), "/srv");
  EXPECT_EQ(config->entries()[0].origin.ToString(), "c.conf:3");
}

TEST(ConfigSyntax, ValueMayContainEquals) {
  Result<ContainerConfig> config = Parse("lxc.environment = A=b=c\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->GetList("lxc.environment"), std::vector<std::string>{"A=b=c"});
}

TEST(ConfigSyntax, LineWithoutEqualsIsAnError) {
  std::string error = ErrorText(Parse("lxc.uts.name = a\nlxc.tty.max 4\n"));
  EXPECT_CONTAINS(error, "c.conf:2: ");
  EXPECT_CONTAINS(error, "not a `key = value` line");
  EXPECT_CONTAINS(error, "'#'");
}

TEST(ConfigSyntax, MissingKeyIsAnError) {
  EXPECT_CONTAINS(ErrorText(Parse("= value\n")), "c.conf:1: ");
}

// ---- Combining values ----

TEST(ConfigValues, LaterScalarOverrides) {
  Result<ContainerConfig> config = Parse("lxc.uts.name = a\nlxc.uts.name = b\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->Get("lxc.uts.name"), "b");
  EXPECT_EQ(config->GetList("lxc.uts.name").size(), 1u);
  EXPECT_EQ(config->entries().back().origin.line, 2);
}

TEST(ConfigValues, ListsAccumulateInOrder) {
  Result<ContainerConfig> config = Parse(
      "lxc.mount.entry = /a a none bind 0 0\n"
      "lxc.cap.drop = sys_time\n"
      "lxc.mount.entry = /b b none bind 0 0\n"
      "lxc.cap.drop = sys_module mknod\n"
      "lxc.environment = A=1\n"
      "lxc.environment = B\n"
      "lxc.hook.start = /bin/one\n"
      "lxc.hook.start = /bin/two\n"
      "lxc.group = web\n"
      "lxc.group = db\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->GetList("lxc.mount.entry"),
            (std::vector<std::string>{"/a a none bind 0 0", "/b b none bind 0 0"}));
  EXPECT_EQ(config->GetList("lxc.cap.drop"),
            (std::vector<std::string>{"sys_time", "sys_module mknod"}));
  EXPECT_EQ(config->GetList("lxc.environment"), (std::vector<std::string>{"A=1", "B"}));
  EXPECT_EQ(config->GetList("lxc.hook.start"), (std::vector<std::string>{"/bin/one", "/bin/two"}));
  EXPECT_EQ(config->GetList("lxc.group").size(), 2u);
}

TEST(ConfigValues, EmptyValueClearsAScalar) {
  Result<ContainerConfig> config = Parse("lxc.tty.dir = lxc\nlxc.tty.dir =\n");
  ASSERT_TRUE(config.ok());
  EXPECT_FALSE(config->Get("lxc.tty.dir").has_value());
  EXPECT_EQ(config->GetOr("lxc.tty.dir", "none"), "none");
}

// LXC's common.conf sets lxc.tty.dir = lxc; uxc lays the ttys out that way
// in a user namespace too (launcher/engine/console.h), so it is no longer ignored.
TEST(ConfigValues, TtyDirIsHonouredWithoutAWarning) {
  Result<ContainerConfig> config = Parse("lxc.tty.max = 4\nlxc.tty.dir = lxc\nlxc.devttydir = dev2\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->Get("lxc.tty.dir"), "dev2");
  std::vector<std::string> warnings = WarningTexts(*config);
  ASSERT_EQ(warnings.size(), 1u);  // only the old name's
  EXPECT_EQ(warnings[0], "c.conf:3: lxc.devttydir is deprecated; use lxc.tty.dir");
}

TEST(ConfigValues, TtyDirIsOneNameUnderDev) {
  for (const char* bad : {"..", ".", "lxc/ttys", "/dev/lxc", "../etc"}) {
    std::string error = ErrorText(Parse(std::string("lxc.tty.max = 1\nlxc.tty.dir = ") + bad + "\n"));
    EXPECT_CONTAINS(error, "c.conf:2: lxc.tty.dir");
    EXPECT_CONTAINS(error, "write one name, e.g. lxc");
  }
}

TEST(ConfigValues, EmptyValueClearsTheWholeList) {
  Result<ContainerConfig> config = Parse(
      "lxc.cap.drop = sys_time\nlxc.cap.drop = mknod\nlxc.cap.drop =\nlxc.cap.drop = sys_rawio\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->GetList("lxc.cap.drop"), std::vector<std::string>{"sys_rawio"});
}

TEST(ConfigValues, MountAutoMergesPerCategory) {
  Result<ContainerConfig> config =
      Parse("lxc.mount.auto = cgroup:mixed proc:mixed sys:mixed\nlxc.mount.auto = sys:rw\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->Get("lxc.mount.auto"), "proc:mixed sys:rw cgroup:mixed");
  EXPECT_EQ(config->entries().back().origin.line, 2);
}

TEST(ConfigValues, MountAutoClears) {
  Result<ContainerConfig> config =
      Parse("lxc.mount.auto = proc:rw sys:ro\nlxc.mount.auto =\nlxc.mount.auto = cgroup:ro\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->Get("lxc.mount.auto"), "cgroup:ro");
}

TEST(ConfigValues, HookClearsEveryHookButTheVersion) {
  Result<ContainerConfig> config = Parse(
      "lxc.hook.version = 1\nlxc.hook.start = /a\nlxc.hook.stop = /b\nlxc.hook =\n"
      "lxc.hook.mount = /c\n");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->GetList("lxc.hook.start").empty());
  EXPECT_TRUE(config->GetList("lxc.hook.stop").empty());
  EXPECT_EQ(config->GetList("lxc.hook.mount").size(), 1u);
  EXPECT_EQ(config->Get("lxc.hook.version"), "1");
}

TEST(ConfigValues, ClearOnlyKeysRefuseAValue) {
  std::string error = ErrorText(Parse("lxc.hook = /bin/true\n"));
  EXPECT_CONTAINS(error, "c.conf:1: lxc.hook takes no value");
  EXPECT_CONTAINS(ErrorText(Parse("lxc.net = 1\n")), "\"lxc.net =\"");
  EXPECT_CONTAINS(ErrorText(Parse("lxc.net.0 = veth\n")), "c.conf:1: lxc.net.0 takes no value");
}

TEST(ConfigValues, Cgroup2KeysAccumulateAndClear) {
  Result<ContainerConfig> config = Parse(
      "lxc.cgroup2.memory.max = 1G\nlxc.cgroup2.memory.max = 2G\nlxc.cgroup2.pids.max = 100\n"
      "lxc.cgroup2.pids.max =\nlxc.cgroup2.cpu.weight = 50\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->Get("lxc.cgroup2.memory.max"), "2G");
  EXPECT_EQ(config->GetList("lxc.cgroup2.memory.max").size(), 2u);
  EXPECT_EQ(config->KeysWithPrefix("lxc.cgroup2."),
            (std::vector<std::string>{"lxc.cgroup2.memory.max", "lxc.cgroup2.cpu.weight"}));
  Result<ContainerConfig> cleared = Parse("lxc.cgroup2.memory.max = 1G\nlxc.cgroup2 =\n");
  ASSERT_TRUE(cleared.ok());
  EXPECT_TRUE(cleared->KeysWithPrefix("lxc.cgroup2.").empty());
}

TEST(ConfigValues, PrlimitSysctlAndProcGroups) {
  Result<ContainerConfig> config = Parse(
      "lxc.prlimit.nofile = 1024:4096\nlxc.prlimit.nproc = unlimited\n"
      "lxc.sysctl.net.ipv4.ip_forward = 1\nlxc.proc.oom_score_adj = 10\nlxc.prlimit =\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_TRUE(config->KeysWithPrefix("lxc.prlimit.").empty());
  EXPECT_EQ(config->Get("lxc.sysctl.net.ipv4.ip_forward"), "1");
  EXPECT_EQ(config->Get("lxc.proc.oom_score_adj"), "10");
}

// ---- Network interfaces ----

TEST(ConfigNet, IndexedKeysBuildInterfaces) {
  Result<ContainerConfig> config = Parse(
      "lxc.net.1.type = empty\n"
      "lxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\nlxc.net.0.flags = up\n"
      "lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx\n"
      "lxc.net.0.ipv4.address = 10.0.3.5/24\nlxc.net.0.ipv4.address = 10.0.4.5/24 10.0.4.255\n"
      "lxc.net.0.ipv4.gateway = auto\nlxc.net.0.ipv6.address = fd00::5/64\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->NetIndices(), (std::vector<int>{0, 1}));
  EXPECT_EQ(config->GetList("lxc.net.0.ipv4.address").size(), 2u);
  EXPECT_EQ(config->Get("lxc.net.0.link"), "lxcbr0");
}

TEST(ConfigNet, IndexIsCanonical) {
  Result<ContainerConfig> config = Parse("lxc.net.00.type = empty\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->Get("lxc.net.0.type"), "empty");
}

TEST(ConfigNet, EmptyNetClearsAllAndNetNClearsOne) {
  Result<ContainerConfig> all =
      Parse("lxc.net.0.type = veth\nlxc.net.0.link = br0\nlxc.net.1.type = empty\nlxc.net =\n");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->NetIndices().empty());
  Result<ContainerConfig> one =
      Parse("lxc.net.0.type = veth\nlxc.net.0.link = br0\nlxc.net.1.type = empty\nlxc.net.0 =\n");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->NetIndices(), std::vector<int>{1});
}

TEST(ConfigNet, InterfaceWithoutTypeIsAnError) {
  std::string error = ErrorText(Parse("lxc.net.0.type = veth\nlxc.net.2.link = br0\n"));
  EXPECT_CONTAINS(error, "c.conf:2: interface lxc.net.2 has no type");
  EXPECT_CONTAINS(error, "lxc.net.2.type = veth, empty or none");
}

TEST(ConfigNet, ClearedTypeLeavesAnInterfaceWithoutType) {
  EXPECT_CONTAINS(ErrorText(Parse("lxc.net.0.type = veth\nlxc.net.0.name = eth0\nlxc.net.0.type =\n")),
                  "has no type");
}

// ---- Value checks ----

TEST(ConfigChecks, BadValueNamesFileLineKeyAndFix) {
  std::string error = ErrorText(Parse("lxc.uts.name = a\nlxc.idmap = u 0 100000\n"));
  EXPECT_CONTAINS(error, "c.conf:2: lxc.idmap: ");
  EXPECT_CONTAINS(error, "u 0 100000 65536");
  struct Case {
    const char* line;
    const char* expected;
  };
  for (const Case& bad : std::initializer_list<Case>{
           {"lxc.signal.halt = SIGNOPE", "SIGRTMIN+3"},
           {"lxc.tty.max = four", "not a non-negative decimal integer"},
           {"lxc.ephemeral = maybe", "use 1 or 0"},
           {"lxc.mount.entry = /a", "fstab(5)"},
           {"lxc.mount.auto = proc:ro", "proc:ro"},
           {"lxc.net.0.hwaddr = 00:16:3e:zz:00:00", "00:16:3e:xx:xx:xx"},
           {"lxc.net.0.ipv4.address = 10.0.3.300/24", "10.0.3.5/24"},
           {"lxc.net.0.ipv6.address = 10.0.3.3/24", "IPv6"},
           {"lxc.cap.drop = sys_admn", "sys_admn"},
           {"lxc.cap.drop = none", "lxc.cap.keep"},
           {"lxc.cgroup2.blkio.weight = 10", "lxc.cgroup2.memory.max"},
           {"lxc.prlimit.nofiles = 10", "nofile"},
           {"lxc.prlimit.nofile = 10:5", "SOFT <= HARD"},
           {"lxc.console.size = lots", "64k"},
           {"lxc.start.delay = -1", "integer"},
           {"lxc.start.order = x", "integer"},
           {"lxc.init.uid = 4294967295", "4294967294"},
           {"lxc.log.level = LOUD", "TRACE"},
           {"lxc.log.syslog = kern", "daemon"},
           {"lxc.arch = z80", "x86_64"},
           {"lxc.namespace.clone = user banana", "banana"},
           {"lxc.namespace.share.user = /proc/1/ns/user", "lxc.namespace.share"},
           {"lxc.time.offset.boot = 5 days", "-5s"},
           {"lxc.hook.version = 2", "0, 1"},
           {"lxc.net.0.type = wifi", "veth"},
           {"lxc.net.0.name = a/b", "interface name"},
           {"lxc.net.0.mtu = 20", "68 to 65535"},
           {"lxc.environment = 1A=b", "NAME=VALUE"},
           {"lxc.proc.oom_score_adj = 5000", "-1000 to 1000"},
           {"lxc.sysctl.net..x = 1", "lxc.sysctl.net.ipv4.ip_forward"},
           {"lxc.init.groups = 1,x", "10,100"},
           {"uxc.container_path = /srv", "uxc.conf"},
           {"lxc.cgroup.dir.contaner = x", "lxc.cgroup.dir.container,"},
       }) {
    std::string message = ErrorText(Parse(std::string(bad.line) + "\n"));
    EXPECT_CONTAINS(message, "c.conf:1: ");
    EXPECT_CONTAINS(message, bad.expected);
  }
}

TEST(ConfigChecks, UnknownKeySuggestsTheNearestKey) {
  EXPECT_CONTAINS(ErrorText(Parse("lxc.uts.name = a\nlxc.mount.entri = /a a none bind 0 0\n")),
                  "c.conf:2: unknown key \"lxc.mount.entri\"; did you mean lxc.mount.entry?");
  EXPECT_CONTAINS(ErrorText(Parse("lxc.net.3.hwadr = 00:16:3e:00:00:01\n")),
                  "did you mean lxc.net.3.hwaddr?");
  EXPECT_CONTAINS(ErrorText(Parse("lxc.cgroups2.memory.max = 1G\n")),
                  "did you mean lxc.cgroup2.memory.max?");
  EXPECT_CONTAINS(ErrorText(Parse("lxc.idmapp = u 0 1 1\n")), "did you mean lxc.idmap?");
}

TEST(ConfigChecks, MisspeltCgroupLimitIsAnUnknownKey) {
  std::string error = ErrorText(Parse("lxc.uts.name = a\nlxc.cgroup2.memory.mx = 64M\n"));
  EXPECT_CONTAINS(error, "c.conf:2: lxc.cgroup2.memory.mx: unknown key");
  EXPECT_CONTAINS(error, "did you mean lxc.cgroup2.memory.max?");
  EXPECT_CONTAINS(ErrorText(Parse("lxc.cgroup2.pids.maximum = 5\n")), "did you mean lxc.cgroup2.pids.max?");
  EXPECT_CONTAINS(ErrorText(Parse("lxc.cgroup2.hugetlb.2XB.max = 0\n")), "hugetlb.<size>.max");
  for (const char* good : {"lxc.cgroup2.memory.max = 64M\n", "lxc.cgroup2.hugetlb.2MB.max = 0\n",
                           "lxc.cgroup2.cpu.max = 50000 100000\n", "lxc.cgroup2.io.max = 8:0 rbps=1048576\n",
                           "lxc.cgroup2.cpuset.cpus = 0\n", "lxc.cgroup2.hugetlb.1GB.rsvd.max = 0\n"}) {
    EXPECT_TRUE(Parse(good).ok()) << good;
  }
}

TEST(ConfigChecks, UnknownKeyWithoutACloseMatch) {
  std::string error = ErrorText(Parse("completely.different = 1\n"));
  EXPECT_CONTAINS(error, "c.conf:1: unknown key \"completely.different\"");
  EXPECT_CONTAINS(error, "docs/config.md");
}

TEST(ConfigChecks, IdmapOverlapNamesBothLines) {
  std::string error =
      ErrorText(Parse("lxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n"
                      "lxc.idmap = u 1000 1000 1\n"));
  EXPECT_CONTAINS(error, "c.conf:3: lxc.idmap: ");
  EXPECT_CONTAINS(error, "overlap on the container side");
  EXPECT_CONTAINS(error, "the other mapping is at c.conf:1");
}

TEST(ConfigChecks, SameIdmapTwiceInOneFileOverlaps) {
  EXPECT_CONTAINS(ErrorText(Parse("lxc.idmap = u 0 100000 10\nlxc.idmap = u 0 100000 10\n")),
                  "overlap");
}

TEST(ConfigChecks, CapKeepAndDropTogether) {
  std::string error = ErrorText(Parse("lxc.cap.drop = mknod\nlxc.cap.keep = sys_admin\n"));
  EXPECT_CONTAINS(error, "c.conf:2: lxc.cap.keep and lxc.cap.drop (at c.conf:1) are both set");
  Result<ContainerConfig> keep_none = Parse("lxc.cap.drop = mknod\nlxc.cap.drop =\nlxc.cap.keep = none\n");
  ASSERT_TRUE(keep_none.ok()) << keep_none.error().ToString();
  EXPECT_EQ(keep_none->GetList("lxc.cap.keep"), std::vector<std::string>{"none"});
}

// ---- Classification ----

TEST(ConfigSupport, RootOnlyValuesAreErrors) {
  struct Case {
    const char* text;
    const char* expected;
  };
  for (const Case& root : std::initializer_list<Case>{
           {"lxc.net.0.type = phys\nlxc.net.0.link = eth1\n", "lxc.net.0.type = phys needs root"},
           {"lxc.net.0.type = macvlan\n", "use veth"},
           {"lxc.net.0.type = ipvlan\n", "needs root"},
           {"lxc.net.0.type = vlan\n", "needs root"},
           {"lxc.net.0.type = veth\nlxc.net.0.veth.mode = router\n", "veth.mode = bridge"},
           {"lxc.net.0.type = veth\nlxc.net.0.veth.ipv4.route = 10.1.0.0/16\n", "host's network"},
           {"lxc.net.0.type = veth\nlxc.net.0.macvlan.mode = bridge\n", "needs root"},
           {"lxc.net.0.type = veth\nlxc.net.0.l2proxy = 1\n", "needs root"},
           {"lxc.monitor.unshare = 1\n", "CAP_SYS_ADMIN"},
           {"lxc.sysctl.vm.swappiness = 10\n", "not a per-namespace sysctl"},
           {"lxc.rootfs.path = lvm:/dev/vg/c1\n", "block device"},
           {"lxc.rootfs.path = /dev/sdb1\n", "needs root"},
           {"lxc.rootfs.options = idmap=container\n", "idmapped"},
       }) {
    std::string message = ErrorText(Parse(root.text));
    EXPECT_CONTAINS(message, "c.conf:");
    EXPECT_CONTAINS(message, root.expected);
  }
}

TEST(ConfigSupport, UnprivilegedValuesOfValueDependentKeys) {
  Result<ContainerConfig> config = Parse(
      "lxc.net.0.type = empty\nlxc.net.0.l2proxy = 0\n"
      "lxc.net.1.type = none\nlxc.net.2.type = empty\nlxc.monitor.unshare = 0\n"
      "lxc.sysctl.kernel.shmmax = 1000\nlxc.sysctl.net.core.somaxconn = 1024\n"
      "lxc.rootfs.path = dir:/srv/c1/rootfs\nlxc.rootfs.options = ro\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_TRUE(config->warnings().empty());
}

// One answer for where a key was set, in every message that names it.
TEST(ConfigWhereSet, NamesTheLineOfTheEffectiveValueOrTheKeyAlone) {
  Result<ContainerConfig> config =
      Parse("lxc.uts.name = a\nlxc.cap.drop = sys_admin\nlxc.cap.drop = net_raw\nlxc.uts.name = b\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(WhereSet(*config, "lxc.uts.name"), "c.conf:4: lxc.uts.name");
  EXPECT_EQ(WhereSet(*config, "lxc.cap.drop"), "c.conf:3: lxc.cap.drop");
  EXPECT_EQ(WhereSet(*config, "lxc.tty.max"), "lxc.tty.max");
  ASSERT_NE(config->EffectiveEntry("lxc.cap.drop"), nullptr);
  EXPECT_EQ(config->EffectiveEntry("lxc.cap.drop")->value, "net_raw");
  EXPECT_EQ(config->EffectiveEntry("lxc.tty.max"), nullptr);
}

TEST(ConfigSupport, RootOnlyValueClearedLaterIsFine) {
  Result<ContainerConfig> config =
      Parse("lxc.net.0.type = phys\nlxc.net.0.link = eth1\nlxc.net =\nlxc.net.0.type = empty\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
}

TEST(ConfigSupport, LimitedKeysWarnOncePerKeyWithTheReason) {
  Result<ContainerConfig> config = Parse(
      "lxc.net.0.type = empty\nlxc.net.0.veth.pair = vethX\n"
      "lxc.cgroup2.devices.allow = c 1:3 rwm\nlxc.cgroup2.devices.allow = c 1:5 rwm\n"
      "lxc.apparmor.profile = unconfined\nlxc.cgroup.memory.limit_in_bytes = 1G\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  std::vector<std::string> warnings = WarningTexts(*config);
  ASSERT_EQ(warnings.size(), 4u);
  EXPECT_CONTAINS(warnings[0], "c.conf:2: lxc.net.0.veth.pair is ignored: uxc-user-nic names the host side");
  EXPECT_CONTAINS(warnings[1], "c.conf:3: lxc.cgroup2.devices.allow is ignored");
  EXPECT_CONTAINS(warnings[2], "AppArmor");
  EXPECT_CONTAINS(warnings[3], "lxc.cgroup2.* equivalent");
  // The values stay in the config, for `uxc config show`.
  EXPECT_EQ(config->GetList("lxc.cgroup2.devices.allow").size(), 2u);
}

// ---- Deprecated names ----

TEST(ConfigDeprecated, RenamedKeysWorkWithAWarning) {
  Result<ContainerConfig> config = Parse(
      "lxc.id_map = u 0 100000 65536\nlxc.id_map = g 0 100000 65536\nlxc.utsname = old\n"
      "lxc.rootfs = /srv/rootfs\nlxc.tty = 2\nlxc.pts = 10\nlxc.haltsignal = SIGRTMIN+3\n"
      "lxc.init_cmd = /sbin/init\nlxc.loglevel = DEBUG\nlxc.logfile = /tmp/log\n"
      "lxc.limit.nofile = 100\nlxc.mount = /srv/fstab\nlxc.seccomp = /srv/profile\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->GetList("lxc.idmap").size(), 2u);
  EXPECT_EQ(config->Get("lxc.uts.name"), "old");
  EXPECT_EQ(config->Get("lxc.rootfs.path"), "/srv/rootfs");
  EXPECT_EQ(config->Get("lxc.tty.max"), "2");
  EXPECT_EQ(config->Get("lxc.pty.max"), "10");
  EXPECT_EQ(config->Get("lxc.signal.halt"), "SIGRTMIN+3");
  EXPECT_EQ(config->Get("lxc.prlimit.nofile"), "100");
  EXPECT_EQ(config->Get("lxc.mount.fstab"), "/srv/fstab");
  std::vector<std::string> warnings = WarningTexts(*config);
  ASSERT_EQ(warnings.size(), 13u);
  EXPECT_EQ(warnings[0], "c.conf:1: lxc.id_map is deprecated; use lxc.idmap");
  EXPECT_EQ(warnings[10], "c.conf:11: lxc.limit.nofile is deprecated; use lxc.prlimit.nofile");
}

TEST(ConfigDeprecated, BadValueUnderAnOldNameNamesTheOldName) {
  std::string error = ErrorText(Parse("lxc.id_map = u 0 100000\n"));
  EXPECT_CONTAINS(error, "c.conf:1: lxc.id_map: ");
}

TEST(ConfigDeprecated, NetworkTypeStartsANewInterface) {
  Result<ContainerConfig> config = Parse(
      "lxc.network.type = veth\nlxc.network.link = lxcbr0\nlxc.network.flags = up\n"
      "lxc.network.ipv4 = 10.0.3.5/24\nlxc.network.ipv4.gateway = 10.0.3.1\n"
      "lxc.network.type = empty\nlxc.network.name = eth1\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->NetIndices(), (std::vector<int>{0, 1}));
  EXPECT_EQ(config->Get("lxc.net.0.link"), "lxcbr0");
  EXPECT_EQ(config->GetList("lxc.net.0.ipv4.address"), std::vector<std::string>{"10.0.3.5/24"});
  EXPECT_EQ(config->Get("lxc.net.0.ipv4.gateway"), "10.0.3.1");
  EXPECT_EQ(config->Get("lxc.net.1.name"), "eth1");
  EXPECT_EQ(WarningTexts(*config)[1], "c.conf:2: lxc.network.link is deprecated; use lxc.net.0.link");
}

TEST(ConfigDeprecated, IndexedNetworkKeys) {
  Result<ContainerConfig> config =
      Parse("lxc.network.0.type = veth\nlxc.network.0.ipv6 = fd00::1/64\nlxc.network =\n"
            "lxc.network.type = empty\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->NetIndices(), std::vector<int>{0});
  EXPECT_EQ(config->Get("lxc.net.0.type"), "empty");
}

TEST(ConfigDeprecated, UnindexedNetKeysOfLxc21) {
  Result<ContainerConfig> config =
      Parse("lxc.net.type = veth\nlxc.net.link = br0\nlxc.net.ipv4.address = 10.0.0.2/24\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->Get("lxc.net.0.link"), "br0");
  EXPECT_EQ(config->GetList("lxc.net.0.ipv4.address").size(), 1u);
  EXPECT_EQ(WarningTexts(*config)[0], "c.conf:1: lxc.net.type is deprecated; use lxc.net.0.type");
}

TEST(ConfigDeprecated, NetworkNumberingRestartsInEachLayer) {
  ScratchDir dir;
  std::string user = dir.Write("default.conf", "lxc.network.type = veth\nlxc.network.link = br0\n");
  std::string container = dir.Write("config", "lxc.network.type = veth\nlxc.network.link = br1\n");
  Result<ContainerConfig> config = LoadContainerConfig({{{user, true}, {container, false}}, {}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->NetIndices(), std::vector<int>{0});
  EXPECT_EQ(config->Get("lxc.net.0.link"), "br1");
}

TEST(ConfigDeprecated, NetworkKeyBeforeTypeIsAnError) {
  std::string error = ErrorText(Parse("lxc.network.link = lxcbr0\n"));
  EXPECT_CONTAINS(error, "c.conf:1: lxc.network.link comes before any lxc.network.type");
  EXPECT_CONTAINS(error, "lxc.net.0.link");
}

TEST(ConfigDeprecated, UnknownOldNetworkSubkey) {
  EXPECT_CONTAINS(ErrorText(Parse("lxc.network.type = veth\nlxc.network.lnk = br0\n")),
                  "c.conf:2: unknown key \"lxc.network.lnk\"; did you mean lxc.net.0.link?");
}

TEST(ConfigDeprecated, ObsoleteKeysAreIgnoredWithAWarning) {
  Result<ContainerConfig> config =
      Parse("lxc.rootfs.backend = dir\nlxc.kmsg = 0\nlxc.pivotdir = lxc_putold\n");
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_TRUE(config->entries().empty());
  std::vector<std::string> warnings = WarningTexts(*config);
  ASSERT_EQ(warnings.size(), 3u);
  EXPECT_CONTAINS(warnings[0], "c.conf:1: lxc.rootfs.backend is obsolete and ignored: ");
  EXPECT_CONTAINS(warnings[0], "dir:/path");
}

// ---- Includes ----

TEST(ConfigInclude, FileIsReadInPlace) {
  ScratchDir dir;
  std::string common = dir.Write("common.conf", "lxc.tty.max = 4\nlxc.uts.name = common\n");
  std::string main =
      dir.Write("config", "lxc.include = " + common + "\nlxc.uts.name = mine\n");
  Result<ContainerConfig> config = LoadContainerConfig({{{main, false}}, {}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->Get("lxc.tty.max"), "4");
  EXPECT_EQ(config->Get("lxc.uts.name"), "mine");
  EXPECT_EQ(config->entries()[0].origin.ToString(), common + ":1");
}

TEST(ConfigInclude, RelativePathsResolveAgainstTheIncludingFile) {
  ScratchDir dir;
  dir.Write("sub/part.conf", "lxc.tty.max = 7\n");
  std::string main = dir.Write("sub/config", "lxc.include = part.conf\n");
  Result<ContainerConfig> config = LoadContainerConfig({{{main, false}}, {}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->Get("lxc.tty.max"), "7");
}

TEST(ConfigInclude, DirectoryIncludesConfFilesSorted) {
  ScratchDir dir;
  dir.Write("d/20-b.conf", "lxc.uts.name = b\nlxc.environment = B=1\n");
  dir.Write("d/10-a.conf", "lxc.uts.name = a\nlxc.environment = A=1\n");
  dir.Write("d/README", "not a config\n");
  dir.Write("d/.conf", "not = included\n");
  dir.MakeDir("d/30-dir.conf");
  std::string main = dir.Write("config", "lxc.include = " + dir.path() + "/d\n");
  Result<ContainerConfig> config = LoadContainerConfig({{{main, false}}, {}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->Get("lxc.uts.name"), "b");
  EXPECT_EQ(config->GetList("lxc.environment"), (std::vector<std::string>{"A=1", "B=1"}));
}

TEST(ConfigInclude, MissingDirectoryWithSlashIsSkipped) {
  ScratchDir dir;
  std::string main = dir.Write("config", "lxc.include = " + dir.path() + "/none.d/\nlxc.tty.max = 1\n");
  Result<ContainerConfig> config = LoadContainerConfig({{{main, false}}, {}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
}

TEST(ConfigInclude, MissingFileIsAnError) {
  ScratchDir dir;
  std::string main = dir.Write("config", "lxc.tty.max = 1\nlxc.include = " + dir.path() + "/nope.conf\n");
  Result<ContainerConfig> config = LoadContainerConfig({{{main, false}}, {}});
  std::string error = ErrorText(config);
  EXPECT_CONTAINS(error, main + ":2: lxc.include: ");
  EXPECT_CONTAINS(error, "No such file or directory");
  EXPECT_CONTAINS(error, "fix the path or remove the line");
}

TEST(ConfigInclude, DeviceIsNotRead) {
  EXPECT_CONTAINS(ErrorText(Parse("lxc.include = /dev/zero\n")), "not a regular file");
}

TEST(ConfigInclude, CycleIsAnError) {
  ScratchDir dir;
  std::string a = dir.path() + "/a.conf";
  std::string b = dir.Write("b.conf", "lxc.include = " + a + "\n");
  dir.Write("a.conf", "lxc.tty.max = 1\nlxc.include = " + b + "\n");
  std::string error = ErrorText(LoadContainerConfig({{{a, false}}, {}}));
  EXPECT_CONTAINS(error, b + ":1: lxc.include of " + a + " makes a cycle");
}

TEST(ConfigInclude, SelfIncludeIsACycle) {
  ScratchDir dir;
  std::string a = dir.Write("a.conf", "lxc.include = a.conf\n");
  EXPECT_CONTAINS(ErrorText(LoadContainerConfig({{{a, false}}, {}})), "makes a cycle");
}

TEST(ConfigInclude, TooDeepNestingIsAnError) {
  ScratchDir dir;
  for (int i = 0; i < 20; ++i) {
    dir.Write("f" + std::to_string(i) + ".conf",
              "lxc.include = f" + std::to_string(i + 1) + ".conf\n");
  }
  dir.Write("f20.conf", "lxc.tty.max = 1\n");
  std::string error = ErrorText(LoadContainerConfig({{{dir.path() + "/f0.conf", false}}, {}}));
  EXPECT_CONTAINS(error, "nests more than 16 files deep; flatten the includes");
  EXPECT_CONTAINS(error, "f15.conf:1: ");
}

TEST(ConfigInclude, SameFileTwiceInSequenceIsNoCycle) {
  ScratchDir dir;
  std::string part = dir.Write("part.conf", "lxc.environment = X=1\n");
  std::string main = dir.Write("config", "lxc.include = " + part + "\nlxc.include = " + part + "\n");
  Result<ContainerConfig> config = LoadContainerConfig({{{main, false}}, {}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->GetList("lxc.environment").size(), 2u);
}

TEST(ConfigInclude, EmptyIncludeDoesNothing) {
  Result<ContainerConfig> config = Parse("lxc.include =\n");
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->entries().empty());
}

// ---- Layers ----

TEST(ConfigLayers, OrderOptionalAndOverrides) {
  ScratchDir dir;
  std::string system = dir.Write("etc/default.conf", "lxc.uts.name = system\nlxc.tty.max = 1\n"
                                                     "lxc.environment = FROM=system\n");
  std::string user = dir.Write("user/default.conf", "lxc.uts.name = user\nlxc.pty.max = 5\n");
  std::string container = dir.Write("c1/config", "lxc.pty.max = 6\nlxc.environment = FROM=c1\n");
  LoadRequest request;
  request.layers = {{system, true}, {dir.path() + "/missing.conf", true}, {user, true},
                    {container, false}};
  request.overrides = {"lxc.tty.max=3", "lxc.environment = FROM=cli"};
  Result<ContainerConfig> config = LoadContainerConfig(request);
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->Get("lxc.uts.name"), "user");
  EXPECT_EQ(config->Get("lxc.pty.max"), "6");
  EXPECT_EQ(config->Get("lxc.tty.max"), "3");
  EXPECT_EQ(config->GetList("lxc.environment"),
            (std::vector<std::string>{"FROM=system", "FROM=c1", "FROM=cli"}));
  for (const Entry& entry : config->entries()) {
    if (entry.key == "lxc.tty.max") {
      EXPECT_EQ(entry.origin.ToString(), "command line");
    }
    if (entry.key == "lxc.pty.max") {
      EXPECT_EQ(entry.origin.ToString(), container + ":1");
    }
  }
}

TEST(ConfigLayers, MissingRequiredLayerIsAnError) {
  ScratchDir dir;
  std::string error = ErrorText(LoadContainerConfig({{{dir.path() + "/c1/config", false}}, {}}));
  EXPECT_CONTAINS(error, "cannot read the container config: open " + dir.path() + "/c1/config");
  EXPECT_CONTAINS(error, "No such file or directory");
  EXPECT_CONTAINS(error, "check the container's name");
}

TEST(ConfigLayers, IdmapOverlapAcrossLayersNamesBothFiles) {
  ScratchDir dir;
  std::string user = dir.Write("default.conf", "lxc.idmap = u 0 100000 65536\n");
  std::string container = dir.Write("config", "lxc.idmap = u 0 200000 65536\n");
  std::string error = ErrorText(LoadContainerConfig({{{user, true}, {container, false}}, {}}));
  EXPECT_CONTAINS(error, container + ":1: lxc.idmap: ");
  EXPECT_CONTAINS(error, "the other mapping is at " + user + ":1");
}

TEST(ConfigLayers, ListValueRepeatedByALaterLayerIsKeptOnce) {
  ScratchDir dir;
  std::string defaults = "lxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n"
                         "lxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\n";
  std::string user = dir.Write("default.conf", defaults);
  // What `uxc create` or lxc-create writes: default.conf copied, plus more.
  std::string container = dir.Write("config", defaults + "lxc.uts.name = c1\n");
  Result<ContainerConfig> config = LoadContainerConfig({{{user, true}, {container, false}}, {}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->GetList("lxc.idmap").size(), 2u);
}

TEST(ConfigLayers, BadOverride) {
  LoadRequest request;
  request.overrides = {"lxc.uts.name"};
  std::string error = ErrorText(LoadContainerConfig(request));
  EXPECT_CONTAINS(error, "command line: -s \"lxc.uts.name\" is not key=value");
  request.overrides = {"lxc.tty.max=x"};
  EXPECT_CONTAINS(ErrorText(LoadContainerConfig(request)), "command line: lxc.tty.max: ");
}

TEST(ConfigLayers, ErrorInAnyLayerGivesNoConfig) {
  ScratchDir dir;
  std::string good = dir.Write("good.conf", "lxc.uts.name = a\n");
  std::string bad = dir.Write("bad.conf", "lxc.uts.name = b\nlxc.bogus = 1\n");
  Result<ContainerConfig> config = LoadContainerConfig({{{good, false}, {bad, false}}, {}});
  EXPECT_CONTAINS(ErrorText(config), bad + ":2: unknown key");
}

TEST(StandardLayers, SystemUserAndContainer) {
  setenv("XDG_CONFIG_HOME", "/xdg", 1);
  LoadRequest request = StandardLayers("/c/config", "/sys-dir");
  ASSERT_EQ(request.layers.size(), 3u);
  EXPECT_EQ(request.layers[0].path, "/sys-dir/default.conf");
  EXPECT_TRUE(request.layers[0].optional);
  EXPECT_EQ(request.layers[1].path, "/xdg/uxc/default.conf");
  EXPECT_TRUE(request.layers[1].optional);
  EXPECT_EQ(request.layers[2].path, "/c/config");
  EXPECT_FALSE(request.layers[2].optional);
  EXPECT_EQ(StandardLayers("/c/config").layers[0].path, "/etc/uxc/default.conf");
}

TEST(StandardLayers, HomeWhenXdgIsUnsetOrRelative) {
  setenv("XDG_CONFIG_HOME", "relative/dir", 1);
  setenv("HOME", "/home/alice", 1);
  EXPECT_EQ(StandardLayers("/c/config").layers[1].path, "/home/alice/.config/uxc/default.conf");
  unsetenv("XDG_CONFIG_HOME");
  EXPECT_EQ(StandardLayers("/c/config").layers[1].path, "/home/alice/.config/uxc/default.conf");
}

}  // namespace
}  // namespace uxc::config

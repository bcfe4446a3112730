#include "launcher/cli/checkconfig_checks.h"

#include <gtest/gtest.h>

#include <optional>

namespace uxc::cli {
namespace {

constexpr char kHybridMountinfo[] =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

// A host where everything is in place for alice.
HostFacts GoodFacts() {
  HostFacts facts;
  facts.user = "alice";
  facts.uid = 1000;
  facts.groups = {"alice", "netusers"};
  facts.kernel_release = "6.1.0-test";
  facts.namespaces = {"cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "user", "uts"};
  facts.kernel_config_source = "/proc/config.gz";
  facts.kernel_config =
      "CONFIG_NAMESPACES=y\nCONFIG_USER_NS=y\nCONFIG_PID_NS=y\nCONFIG_NET_NS=y\nCONFIG_UTS_NS=y\n"
      "CONFIG_IPC_NS=y\nCONFIG_CGROUPS=y\nCONFIG_VETH=m\nCONFIG_BRIDGE=m\nCONFIG_SECCOMP_FILTER=y\n"
      "CONFIG_MEMCG=y\nCONFIG_CGROUP_PIDS=y\n";
  facts.max_user_namespaces = "96365";
  facts.mountinfo =
      "28 24 0:24 / /sys/fs/cgroup rw shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
  facts.self_cgroup = "0::/user.slice/user-1000.slice/user@1000.service\n";
  facts.cgroup2_root_controllers = "cpuset cpu io memory hugetlb pids";
  facts.own_cgroup2 = Cgroup2DirFacts{"/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service", true,
                                      "cpuset cpu io memory hugetlb pids", ""};
  facts.subuid.path = "/etc/subuid";
  facts.subuid.records = {{"alice", 100000, 65536, 1}};
  facts.subgid.path = "/etc/subgid";
  facts.subgid.records = {{"alice", 100000, 65536, 1}};
  facts.helpers = {{"uxc-newuidmap", "uxc.newuidmap", "", "/usr/local/bin/uxc-newuidmap", true, true, false},
                   {"uxc-newgidmap", "uxc.newgidmap", "", "/usr/local/bin/uxc-newgidmap", true, true, false},
                   {"uxc-user-nic", "uxc.user_nic", "", "/usr/local/bin/uxc-user-nic", true, true, false}};
  facts.usernet.path = "/etc/uxc/usernet";
  facts.usernet.records = {{"alice", "veth", "uxcbr0", 2, 1}, {"@netusers", "veth", "uxcbr0", 3, 2}};
  facts.nic_db.path = "/run/uxc/nics";
  facts.nic_db.error = ErrnoError(ENOENT, "open /run/uxc/nics");
  facts.bridges["uxcbr0"] = true;
  facts.container_path = "/home/alice/.local/share/uxc";
  facts.container_path_dirs = {{"/", 0, 0, 0755, {}},
                               {"/home", 0, 0, 0755, {}},
                               {"/home/alice", 1000, 1000, 0755, {}},
                               {"/home/alice/.local", 1000, 1000, 0755, {}}};
  return facts;
}

std::optional<Check> Find(const std::vector<Check>& checks, const std::string& subject) {
  for (const Check& check : checks) {
    if (check.subject == subject) return check;
  }
  return std::nullopt;
}

TEST(CheckHostTest, AGoodHostIsReadyWithEveryLineOk) {
  HostFacts facts = GoodFacts();
  std::vector<Check> checks = CheckHost(facts);
  for (const Check& check : checks) {
    EXPECT_EQ(check.status, CheckStatus::kOk) << check.subject << ": " << check.detail;
    EXPECT_EQ(check.fix, "") << check.subject;
  }
  EXPECT_TRUE(AllNeededPresent(checks));
  std::string report = FormatReport(facts, checks);
  EXPECT_NE(report.find("uxc checkconfig for alice (uid 1000), kernel 6.1.0-test\n"), std::string::npos) << report;
  EXPECT_NE(report.find("\nReady for unprivileged containers.\n"), std::string::npos) << report;
  EXPECT_NE(report.find("  OK       /etc/subuid: alice has 100000:65536\n"), std::string::npos) << report;
  EXPECT_NE(report.find("  OK       usernet: 5 veth nic(s) on uxcbr0 (alice veth uxcbr0 2 (line 1), @netusers "
                        "veth uxcbr0 3 (line 2)); in use: 0\n"),
            std::string::npos)
      << report;
}

TEST(CheckNamespacesTest, MissingNamespaceNamesTheKernelOption) {
  HostFacts facts = GoodFacts();
  facts.namespaces = {"ipc", "mnt", "net", "pid", "uts", "cgroup"};
  std::optional<Check> check = Find(CheckKernel(facts), "namespaces");
  ASSERT_TRUE(check);
  EXPECT_EQ(check->status, CheckStatus::kMissing);
  EXPECT_EQ(check->detail, "/proc/self/ns lacks user");
  EXPECT_EQ(check->fix, "boot a kernel built with CONFIG_USER_NS");
}

TEST(CheckKernelConfigTest, UnreadableConfigIsInfoNotFailure) {
  HostFacts facts = GoodFacts();
  facts.kernel_config_source.clear();
  std::vector<Check> checks = CheckKernel(facts);
  std::optional<Check> check = Find(checks, "kernel config");
  ASSERT_TRUE(check);
  EXPECT_EQ(check->status, CheckStatus::kInfo);
  EXPECT_NE(check->detail.find("/boot/config-6.1.0-test"), std::string::npos);
  EXPECT_TRUE(AllNeededPresent(checks));
}

TEST(CheckKernelConfigTest, MissingNeededAndUsefulOptions) {
  HostFacts facts = GoodFacts();
  facts.kernel_config = "CONFIG_NAMESPACES=y\n# CONFIG_USER_NS is not set\n";
  std::optional<Check> needed = Find(CheckKernel(facts), "kernel config");
  ASSERT_TRUE(needed);
  EXPECT_EQ(needed->status, CheckStatus::kMissing);
  EXPECT_EQ(needed->detail,
            "(/proc/config.gz) lacks CONFIG_USER_NS, CONFIG_PID_NS, CONFIG_NET_NS, CONFIG_UTS_NS, CONFIG_IPC_NS, "
            "CONFIG_CGROUPS");

  facts = GoodFacts();
  facts.kernel_config += "CONFIG_VETH=n\n";  // a later line does not count; the first wins
  facts.kernel_config.replace(facts.kernel_config.find("CONFIG_VETH=m"), 13, "# CONFIG_VETH is not set");
  std::optional<Check> useful = Find(CheckKernel(facts), "kernel config");
  ASSERT_TRUE(useful);
  EXPECT_EQ(useful->status, CheckStatus::kLimited);
  EXPECT_NE(useful->detail.find("lacks CONFIG_VETH"), std::string::npos) << useful->detail;
}

TEST(CheckUserNamespaceTest, ZeroMaxUserNamespacesSaysWhichSysctl) {
  HostFacts facts = GoodFacts();
  facts.max_user_namespaces = "0";
  facts.userns_probe_errno = ENOSPC;
  std::vector<Check> checks = CheckKernel(facts);
  std::optional<Check> sysctl = Find(checks, "max_user_namespaces");
  ASSERT_TRUE(sysctl);
  EXPECT_EQ(sysctl->status, CheckStatus::kMissing);
  EXPECT_NE(sysctl->fix.find("sysctl -w user.max_user_namespaces=15000"), std::string::npos);
  std::optional<Check> probe = Find(checks, "user namespace");
  ASSERT_TRUE(probe);
  EXPECT_EQ(probe->status, CheckStatus::kMissing);
  EXPECT_EQ(probe->detail, "unshare(CLONE_NEWUSER) as alice failed: No space left on device");
  EXPECT_FALSE(AllNeededPresent(checks));
}

TEST(CheckUserNamespaceTest, DebianAndUbuntuKnobsAreReportedOnlyWhenTheyBlock) {
  HostFacts facts = GoodFacts();
  facts.unprivileged_userns_clone = "1";
  facts.apparmor_restrict_userns = "0";
  EXPECT_FALSE(Find(CheckKernel(facts), "unprivileged_userns_clone"));
  EXPECT_FALSE(Find(CheckKernel(facts), "apparmor userns restriction"));
  facts.unprivileged_userns_clone = "0";
  facts.apparmor_restrict_userns = "1";
  std::vector<Check> checks = CheckKernel(facts);
  ASSERT_TRUE(Find(checks, "unprivileged_userns_clone"));
  EXPECT_NE(Find(checks, "unprivileged_userns_clone")->fix.find("kernel.unprivileged_userns_clone=1"),
            std::string::npos);
  ASSERT_TRUE(Find(checks, "apparmor userns restriction"));
}

// This machine: cpu, memory and pids on cgroup v1, hugetlb alone on cgroup2.
HostFacts HybridFacts(const std::string& self_cgroup, Cgroup2DirFacts own) {
  HostFacts facts = GoodFacts();
  facts.mountinfo = kHybridMountinfo;
  facts.self_cgroup = self_cgroup;
  facts.cgroup2_root_controllers = "hugetlb";
  facts.own_cgroup2 = std::move(own);
  return facts;
}

TEST(CheckCgroupsTest, ReportsThisMachinesHybridLayout) {
  HostFacts facts = HybridFacts("4:memory:/\n0::/\n", {"/sys/fs/cgroup/unified", false, "hugetlb", ""});
  std::vector<Check> checks = CheckCgroups(facts);
  ASSERT_EQ(checks.size(), 8u);
  EXPECT_EQ(checks[0].status, CheckStatus::kOk);
  EXPECT_EQ(checks[0].detail,
            "hybrid: cgroup v1 controllers (cpu, memory, pids) under /sys/fs/cgroup/*, cgroup2 at "
            "/sys/fs/cgroup/unified with controllers: hugetlb");
  EXPECT_EQ(checks[1].status, CheckStatus::kLimited);
  EXPECT_EQ(checks[1].detail,
            "your cgroup /sys/fs/cgroup/unified is not writable by alice: nothing is delegated to you, so "
            "containers start without a cgroup of their own or limits");
  EXPECT_NE(checks[1].fix.find("pam_uxc.so"), std::string::npos);
  EXPECT_TRUE(AllNeededPresent(checks));  // limits are optional
}

TEST(CheckCgroupsTest, WritableCgroupWithoutControllersOnHybridSaysWhy) {
  HostFacts facts = GoodFacts();
  facts.mountinfo = kHybridMountinfo;
  facts.self_cgroup = "0::/\n";
  facts.own_cgroup2 = Cgroup2DirFacts{"/sys/fs/cgroup/unified", true, "", ""};
  std::vector<Check> checks = CheckCgroups(facts);
  ASSERT_EQ(checks.size(), 8u);
  EXPECT_EQ(checks[1].status, CheckStatus::kLimited);
  EXPECT_NE(checks[1].fix.find("systemd.unified_cgroup_hierarchy=1"), std::string::npos);
}

TEST(CheckCgroupsTest, DelegatedUnifiedCgroupListsControllers) {
  std::vector<Check> checks = CheckCgroups(GoodFacts());
  ASSERT_EQ(checks.size(), 8u);
  EXPECT_EQ(checks[0].detail, "v2: cgroup2 at /sys/fs/cgroup with controllers: cpuset cpu io memory hugetlb pids");
  EXPECT_EQ(checks[1].detail,
            "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service is yours; controllers you can use: "
            "cpuset cpu io memory hugetlb pids");
}

TEST(CheckCgroupsTest, ControllersAlreadyEnabledForSubCgroupsAreShown) {
  HostFacts facts = GoodFacts();
  facts.own_cgroup2->subtree_control = "memory pids";
  std::vector<Check> checks = CheckCgroups(facts);
  ASSERT_EQ(checks.size(), 8u);
  EXPECT_NE(checks[1].detail.find("hugetlb pids (enabled for sub-cgroups: memory pids)"), std::string::npos)
      << checks[1].detail;
}

TEST(CheckCgroupsTest, LegacyOnlyHostIsLimited) {
  HostFacts facts = GoodFacts();
  facts.mountinfo = "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n";
  facts.self_cgroup = "1:cpu:/\n";
  facts.own_cgroup2.reset();
  std::vector<Check> checks = CheckCgroups(facts);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].status, CheckStatus::kLimited);
  EXPECT_NE(checks[0].detail.find("v1 only"), std::string::npos);
}

// This machine with a node pam_uxc made: memory, cpu and pids are bound to
// cgroup v1, hugetlb is on v2 and delegated.
TEST(CheckControllersTest, OnAHybridHostTheV1ControllersCannotTakeLimits) {
  HostFacts facts =
      HybridFacts("0::/uxc/alice/session-3\n", {"/sys/fs/cgroup/unified/uxc/alice", true, "hugetlb", ""});
  std::vector<Check> checks = CheckCgroups(facts);
  for (const char* name : {"memory", "cpu", "pids"}) {
    std::optional<Check> check = Find(checks, name);
    ASSERT_TRUE(check) << name;
    EXPECT_EQ(check->status, CheckStatus::kLimited);
    EXPECT_EQ(check->detail, "on cgroup v1 (/sys/fs/cgroup/" + std::string(name) +
                                 "), which uxc does not use: a start with lxc.cgroup2." + name + ".* fails");
    EXPECT_NE(check->fix.find("systemd.unified_cgroup_hierarchy=1"), std::string::npos);
    EXPECT_NE(check->fix.find("rc_cgroup_mode=\"unified\""), std::string::npos);
  }
  std::optional<Check> hugetlb = Find(checks, "hugetlb");
  ASSERT_TRUE(hugetlb);
  EXPECT_EQ(hugetlb->status, CheckStatus::kOk);
  EXPECT_EQ(hugetlb->detail, "on cgroup v2 and delegated to you: lxc.cgroup2.hugetlb.* apply");
  std::optional<Check> io = Find(checks, "io");
  ASSERT_TRUE(io);
  EXPECT_EQ(io->status, CheckStatus::kLimited);
  EXPECT_EQ(io->fix, "boot a kernel built with CONFIG_BLK_CGROUP");
}

TEST(CheckControllersTest, BlkioOnV1IsTheIoController) {
  HostFacts facts = GoodFacts();
  facts.mountinfo = std::string(kHybridMountinfo) +
                    "36 31 0:33 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio\n";
  std::optional<Check> io = Find(CheckCgroups(facts), "io");
  ASSERT_TRUE(io);
  EXPECT_EQ(io->detail, "on cgroup v1 (/sys/fs/cgroup/blkio), which uxc does not use: a start with "
                        "lxc.cgroup2.io.* fails");
}

// systemd's user@.service delegates cpu, memory and pids: io and cpuset
// need a drop-in.
TEST(CheckControllersTest, UserServiceWithoutIoAndCpusetNamesTheDropIn) {
  HostFacts facts = GoodFacts();
  facts.own_cgroup2->controllers = "cpu memory pids";
  std::vector<Check> checks = CheckCgroups(facts);
  for (const char* name : {"memory", "cpu", "pids"}) {
    std::optional<Check> check = Find(checks, name);
    ASSERT_TRUE(check) << name;
    EXPECT_EQ(check->status, CheckStatus::kOk) << name;
  }
  for (const char* name : {"io", "cpuset", "hugetlb"}) {
    std::optional<Check> check = Find(checks, name);
    ASSERT_TRUE(check) << name;
    EXPECT_EQ(check->status, CheckStatus::kLimited) << name;
    EXPECT_EQ(check->detail, "on cgroup v2, but not delegated to you "
                             "(/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/cgroup.controllers has "
                             "\"cpu memory pids\"): a start with lxc.cgroup2." + std::string(name) + ".* fails");
    EXPECT_NE(check->fix.find("/etc/systemd/system/user@.service.d/delegate.conf"), std::string::npos);
    EXPECT_NE(check->fix.find("Delegate=cpu cpuset io memory pids"), std::string::npos);
  }
}

TEST(CheckControllersTest, APamNodeWithoutAControllerNamesPamUxcsOption) {
  HostFacts facts = GoodFacts();
  facts.own_cgroup2 = Cgroup2DirFacts{"/sys/fs/cgroup/uxc/alice", true, "cpu memory pids", ""};
  facts.self_cgroup = "0::/uxc/alice/session-2\n";
  std::optional<Check> io = Find(CheckCgroups(facts), "io");
  ASSERT_TRUE(io);
  EXPECT_EQ(io->status, CheckStatus::kLimited);
  EXPECT_EQ(io->fix, "ask root to enable io in cgroup.subtree_control of every cgroup above "
                     "/sys/fs/cgroup/uxc/alice (pam_uxc: its controllers= option, docs/pam.md)");
}

TEST(CheckControllersTest, WithNothingDelegatedEveryV2ControllerWaitsForDelegation) {
  HostFacts facts = GoodFacts();
  facts.own_cgroup2->writable = false;
  std::vector<Check> checks = CheckCgroups(facts);
  for (const char* name : {"memory", "pids", "cpu", "cpuset", "io", "hugetlb"}) {
    std::optional<Check> check = Find(checks, name);
    ASSERT_TRUE(check) << name;
    EXPECT_EQ(check->status, CheckStatus::kLimited);
    EXPECT_NE(check->detail.find("no cgroup is delegated to you"), std::string::npos) << check->detail;
  }
  EXPECT_TRUE(AllNeededPresent(checks));
}

TEST(CheckSubordinateIdsTest, MissingEntrySuggestsAFreeRange) {
  HostFacts facts = GoodFacts();
  facts.subuid.records = {{"bob", 100000, 65536, 1}, {"carol", 165536, 65536, 2}};
  std::vector<Check> checks = CheckSubordinateIds(facts);
  EXPECT_EQ(checks[0].status, CheckStatus::kMissing);
  EXPECT_EQ(checks[0].subject, "/etc/subuid");
  EXPECT_EQ(checks[0].detail, "no entry for alice");
  EXPECT_EQ(checks[0].fix, "ask root to run `usermod --add-subuids 231072-296607 alice`");
  EXPECT_EQ(checks[1].status, CheckStatus::kOk);
  EXPECT_FALSE(AllNeededPresent(checks));
}

TEST(CheckSubordinateIdsTest, AbsentFileAndUnparsableFile) {
  HostFacts facts = GoodFacts();
  facts.subgid.records.clear();
  facts.subgid.error = ErrnoError(ENOENT, "open /etc/subgid");
  facts.subuid.records.clear();
  facts.subuid.error = PlainError("/etc/subuid:3: \"x\" has 1 field(s), not 3");
  std::vector<Check> checks = CheckSubordinateIds(facts);
  EXPECT_EQ(checks[0].status, CheckStatus::kMissing);
  EXPECT_EQ(checks[0].detail, "/etc/subuid:3: \"x\" has 1 field(s), not 3");
  EXPECT_EQ(checks[1].status, CheckStatus::kMissing);
  EXPECT_EQ(checks[1].detail, "/etc/subgid does not exist");
  EXPECT_EQ(checks[1].fix, "ask root to run `usermod --add-subgids 100000-165535 alice`");
}

TEST(CheckSubordinateIdsTest, EntryByUidAndShortRange) {
  HostFacts facts = GoodFacts();
  facts.subuid.records = {{"1000", 200000, 1000, 1}};
  std::vector<Check> checks = CheckSubordinateIds(facts);
  EXPECT_EQ(checks[0].status, CheckStatus::kLimited);
  EXPECT_EQ(checks[0].detail, "alice has 200000:1000, fewer than the 65536 ids a distribution's files use");
}

TEST(CheckHelpersTest, MissingOrNotSetuidHelpers) {
  HostFacts facts = GoodFacts();
  facts.helpers[0].path.clear();
  facts.helpers[1].setuid_root = false;
  facts.helpers[2].path.clear();
  facts.helpers[2].configured = "/opt/nic";
  std::vector<Check> checks = CheckHelpers(facts);
  EXPECT_EQ(checks[0].status, CheckStatus::kMissing);
  EXPECT_EQ(checks[0].detail, "not found next to uxc, in its prefix's libexec/uxc or on PATH (it maps your subordinate ids)");
  EXPECT_EQ(checks[1].status, CheckStatus::kMissing);
  EXPECT_EQ(checks[1].fix,
            "ask root to run `chown root:root /usr/local/bin/uxc-newgidmap && chmod 4755 "
            "/usr/local/bin/uxc-newgidmap`");
  EXPECT_EQ(checks[2].status, CheckStatus::kLimited);  // networking is optional
  EXPECT_EQ(checks[2].detail, "uxc.user_nic = /opt/nic in uxc.conf, but no executable file is there");
}

// uxc-newidmap saves an exec; the pair stands in for it.
TEST(CheckHelpersTest, TheCombinedHelperIsOptional) {
  HostFacts facts = GoodFacts();
  HelperFacts combined{"uxc-newidmap", "", "", "/usr/local/bin/uxc-newidmap", true, true, false, true, false};
  auto check = [&](const HelperFacts& helper) {
    facts.helpers = {helper};
    return CheckHelpers(facts).at(0);
  };
  Check found = check(combined);
  EXPECT_EQ(found.status, CheckStatus::kOk);
  EXPECT_EQ(found.detail, "/usr/local/bin/uxc-newidmap (setuid root)");
  combined.path.clear();
  Check missing = check(combined);
  EXPECT_EQ(missing.status, CheckStatus::kLimited);
  EXPECT_EQ(missing.detail, "not found next to uxc, in its prefix's libexec/uxc or on PATH (it writes both id maps in one exec; without it "
                            "uxc runs uxc-newuidmap and uxc-newgidmap)");
  EXPECT_EQ(missing.fix, "install uxc's helpers (tools/install)");
  combined.bypassed = true;
  Check bypassed = check(combined);
  EXPECT_EQ(bypassed.status, CheckStatus::kOk);
  EXPECT_EQ(bypassed.detail, "not used: uxc.conf sets uxc.newuidmap or uxc.newgidmap, so uxc runs that pair");
}

TEST(CheckHelpersTest, FileCapabilitiesAreEnough) {
  HostFacts facts = GoodFacts();
  facts.helpers[0].setuid_root = false;
  facts.helpers[0].file_capabilities = true;
  EXPECT_EQ(CheckHelpers(facts)[0].status, CheckStatus::kOk);
  EXPECT_EQ(CheckHelpers(facts)[0].detail, "/usr/local/bin/uxc-newuidmap (file capabilities)");
}

TEST(CheckNetworkTest, NoUsernetFile) {
  HostFacts facts = GoodFacts();
  facts.usernet.records.clear();
  facts.usernet.error = ErrnoError(ENOENT, "open /etc/uxc/usernet");
  std::vector<Check> checks = CheckNetwork(facts);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].status, CheckStatus::kLimited);
  EXPECT_EQ(checks[0].fix,
            "ask root to create it with a line like `alice veth uxcbr0 2` (docs/usernet.md)");
}

TEST(CheckNetworkTest, NoLineForTheUser) {
  HostFacts facts = GoodFacts();
  facts.groups = {"alice"};
  facts.usernet.records = {{"bob", "veth", "uxcbr0", 2, 1}};
  std::vector<Check> checks = CheckNetwork(facts);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].detail, "/etc/uxc/usernet has no line for alice or the groups alice: no veth networking");
}

TEST(CheckNetworkTest, CountsNicsInUseAndFlagsAMissingBridge) {
  HostFacts facts = GoodFacts();
  facts.usernet.records.push_back({"alice", "veth", "br9", 1, 3});
  facts.bridges["br9"] = false;
  facts.nic_db.error.reset();
  facts.nic_db.records = {{"alice", "veth", "uxcbr0", "veth1000_abcd", 7, 1000},
                          {"@netusers", "veth", "uxcbr0", "veth1001_abcd", 8, 1001}};
  std::vector<Check> checks = CheckNetwork(facts);
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_NE(checks[0].detail.find("in use: 2"), std::string::npos) << checks[0].detail;
  EXPECT_EQ(checks[1].status, CheckStatus::kLimited);
  EXPECT_NE(checks[1].detail.find("but there is no bridge br9"), std::string::npos) << checks[1].detail;
  EXPECT_EQ(checks[1].fix, "ask root to create it: `ip link add br9 type bridge && ip link set br9 up`");
}

TEST(CheckNetworkTest, UnreadableNicDatabaseLeavesUseUnknown) {
  HostFacts facts = GoodFacts();
  facts.nic_db.error = ErrnoError(EACCES, "open /run/uxc/nics");
  EXPECT_NE(CheckNetwork(facts)[0].detail.find("in use: unknown (open /run/uxc/nics: Permission denied)"),
            std::string::npos);
}

TEST(FormatReportTest, MissingLinesCarryTheirFixAndTheVerdictSaysNotReady) {
  HostFacts facts = GoodFacts();
  facts.subuid.records.clear();
  std::vector<Check> checks = CheckHost(facts);
  std::string report = FormatReport(facts, checks);
  EXPECT_NE(report.find("\nIds\n  MISSING  /etc/subuid: no entry for alice\n"
                        "           fix: ask root to run `usermod --add-subuids 100000-165535 alice`\n"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("\nNot ready: 1 thing(s) unprivileged containers need are missing (lines marked "
                        "MISSING).\n"),
            std::string::npos)
      << report;
}

TEST(FormatReportTest, SettingsErrorComesFirstAndIsNeeded) {
  HostFacts facts = GoodFacts();
  facts.settings_error = PlainError("/etc/uxc/uxc.conf:2: unknown key \"x\"");
  std::vector<Check> checks = CheckHost(facts);
  EXPECT_EQ(checks[0].section, "Settings");
  EXPECT_FALSE(AllNeededPresent(checks));
}

TEST(CheckContainerPathTest, AHomeOnlyItsOwnerCanEnterIsNamedWithTheLeastPrivilegeFix) {
  HostFacts facts = GoodFacts();
  facts.container_path_dirs[2].mode = 0700;  // Debian 12's adduser
  std::vector<Check> checks = CheckContainerPath(facts);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].status, CheckStatus::kMissing);
  EXPECT_EQ(checks[0].subject, "/home/alice");
  EXPECT_NE(checks[0].detail.find("host uid 100000"), std::string::npos) << checks[0].detail;
  EXPECT_NE(checks[0].detail.find("mode 0700"), std::string::npos) << checks[0].detail;
  EXPECT_EQ(checks[0].fix, "run `setfacl -m u:100000:x /home/alice` (only container root may pass), or "
                           "`chmod o+x /home/alice`");
  EXPECT_FALSE(AllNeededPresent(CheckHost(facts)));
}

TEST(CheckContainerPathTest, EveryBlockingDirectoryIsListedAndRootsOwnAreForRoot) {
  HostFacts facts = GoodFacts();
  facts.container_path_dirs[1].mode = 0751;
  facts.container_path_dirs[1].acl = {{AclEntry::Tag::kUser, 100000, false},
                                      {AclEntry::Tag::kOwningGroup, 0, true},
                                      {AclEntry::Tag::kMask, 0, true}};
  facts.container_path_dirs[3].mode = 0700;
  std::vector<Check> checks = CheckContainerPath(facts);
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[0].subject, "/home");
  EXPECT_EQ(checks[0].fix.rfind("ask root to run `setfacl -m u:100000:x /home`", 0), 0u) << checks[0].fix;
  EXPECT_NE(checks[0].detail.find("with an ACL"), std::string::npos);
  EXPECT_EQ(checks[1].subject, "/home/alice/.local");
}

TEST(CheckContainerPathTest, AnAclForContainerRootIsEnough) {
  HostFacts facts = GoodFacts();
  facts.container_path_dirs[2].mode = 0710;
  facts.container_path_dirs[2].acl = {{AclEntry::Tag::kUser, 100000, true},
                                      {AclEntry::Tag::kOwningGroup, 0, false},
                                      {AclEntry::Tag::kMask, 0, true}};
  std::vector<Check> checks = CheckContainerPath(facts);
  ASSERT_EQ(checks.size(), 1u);
  EXPECT_EQ(checks[0].status, CheckStatus::kOk);
}

TEST(CheckContainerPathTest, WithoutSubordinateIdsThereIsNothingToCheck) {
  HostFacts facts = GoodFacts();
  facts.subuid.records.clear();
  EXPECT_TRUE(CheckContainerPath(facts).empty());
}

}  // namespace
}  // namespace uxc::cli

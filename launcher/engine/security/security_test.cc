#include "launcher/engine/security/security.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "config/container_config.h"
#include "launcher/engine/security/caps.h"
#include "launcher/engine/security/test_child.h"

namespace uxc::security {
namespace {

using testing::Report;
using testing::RunInChild;
using testing::StatusField;

class SecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = getenv("TEST_TMPDIR");
    dir_ = std::string(tmp != nullptr ? tmp : "/tmp") + "/security";
    mkdir(dir_.c_str(), 0755);
  }

  Result<SecurityPlan> Plan(const std::string& text) {
    UXC_ASSIGN_OR_RETURN(config::ContainerConfig config, config::ParseContainerConfigText(text, dir_ + "/config"));
    return PlanSecurity(config);
  }

  SecurityPlan PlanOk(const std::string& text) {
    Result<SecurityPlan> plan = Plan(text);
    EXPECT_TRUE(plan.ok()) << plan.error().ToString();
    return plan.ok() ? std::move(*plan) : SecurityPlan{};
  }

  std::string PlanError(const std::string& text) {
    Result<SecurityPlan> plan = Plan(text);
    EXPECT_FALSE(plan.ok());
    return plan.ok() ? "" : plan.error().ToString();
  }

  void WriteFile(const std::string& name, const std::string& content) {
    std::ofstream(dir_ + "/" + name) << content;
  }

  std::string dir_;
};

TEST_F(SecurityTest, DefaultsDropMknodAndLoadLxcsCommonProfile) {
  SecurityPlan plan = PlanOk("");
  EXPECT_EQ(plan.bounding_drop, (std::vector<int>{CAP_MKNOD}));
  EXPECT_FALSE(plan.no_new_privs);
  EXPECT_TRUE(plan.clear_inheritable);
  EXPECT_FALSE(plan.seccomp_program.empty());
  EXPECT_TRUE(plan.warnings.empty());
}

TEST_F(SecurityTest, DropList) {
  SecurityPlan plan = PlanOk("lxc.cap.drop = sys_admin CAP_NET_RAW\nlxc.cap.drop = sys_time\n");
  EXPECT_EQ(plan.bounding_drop,
            (std::vector<int>{CAP_NET_RAW, CAP_SYS_ADMIN, CAP_SYS_TIME, CAP_MKNOD}));
}

TEST_F(SecurityTest, ClearedDropListLeavesMknod) {
  SecurityPlan plan = PlanOk("lxc.cap.drop = sys_admin\nlxc.cap.drop =\n");
  EXPECT_EQ(plan.bounding_drop, (std::vector<int>{CAP_MKNOD}));
}

TEST_F(SecurityTest, KeepList) {
  SecurityPlan plan = PlanOk("lxc.cap.keep = chown setuid setgid\n");
  EXPECT_EQ(static_cast<int>(plan.bounding_drop.size()), KernelCapabilityCount() - 3);
  for (int cap : {CAP_CHOWN, CAP_SETUID, CAP_SETGID}) {
    EXPECT_EQ(std::count(plan.bounding_drop.begin(), plan.bounding_drop.end(), cap), 0);
  }
}

TEST_F(SecurityTest, KeepNoneDropsEverything) {
  SecurityPlan plan = PlanOk("lxc.cap.keep = none\n");
  EXPECT_EQ(static_cast<int>(plan.bounding_drop.size()), KernelCapabilityCount());
}

TEST_F(SecurityTest, KeepAndDropTogetherAreRefused) {
  std::string error = PlanError("lxc.cap.keep = chown\nlxc.cap.drop = sys_admin\n");
  EXPECT_NE(error.find("lxc.cap.keep"), std::string::npos) << error;
  EXPECT_NE(error.find("lxc.cap.drop"), std::string::npos) << error;
}

TEST_F(SecurityTest, NoNewPrivs) {
  EXPECT_TRUE(PlanOk("lxc.no_new_privs = 1\n").no_new_privs);
  EXPECT_FALSE(PlanOk("lxc.no_new_privs = 0\n").no_new_privs);
}

TEST_F(SecurityTest, RelativeProfileIsFoundBesideTheConfig) {
  WriteFile("allow.seccomp", "2\nallowlist\nread\nwrite\nexit_group\n");
  SecurityPlan plan = PlanOk("lxc.seccomp.profile = allow.seccomp\n");
  EXPECT_FALSE(plan.seccomp_program.empty());
  EXPECT_NE(plan.seccomp_program.size(), PlanOk("").seccomp_program.size());
}

TEST_F(SecurityTest, MissingProfileNamesKeyAndFile) {
  std::string error = PlanError("lxc.seccomp.profile = " + dir_ + "/absent.seccomp\n");
  EXPECT_EQ(error, dir_ + "/config:1: lxc.seccomp.profile: open the seccomp profile " + dir_ +
                       "/absent.seccomp (lxc.seccomp.profile); check the path and its "
                       "permissions: No such file or directory");
}

TEST_F(SecurityTest, BadProfileNamesItsLine) {
  WriteFile("bad.seccomp", "2\ndenylist\nkexec_load errno x\n");
  std::string error = PlanError("\nlxc.seccomp.profile = " + dir_ + "/bad.seccomp\n");
  EXPECT_EQ(error.rfind(dir_ + "/config:2: lxc.seccomp.profile: " + dir_ + "/bad.seccomp:3: bad "
                            "errno value \"x\"",
                        0),
            0u)
      << error;
}

TEST_F(SecurityTest, NotifyRulesAreAWarning) {
  WriteFile("notify.seccomp", "2\ndenylist\nmknod notify\n");
  SecurityPlan plan = PlanOk("lxc.seccomp.profile = notify.seccomp\n"
                             "lxc.seccomp.notify.proxy = unix:/run/proxy.sock\n");
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("notify.seccomp:3: the notify action needs a seccomp listener"),
            std::string::npos)
      << plan.warnings[0];
}

TEST_F(SecurityTest, AnAlreadyFilteredLauncherLoadsNoProfileUnlessNestingIsAllowed) {
  std::string config_path = dir_ + "/config";
  auto result = RunInChild([&](int report) {
    // A filter that allows everything: uxc now runs "inside a container".
    SecurityPlan outer;
    outer.seccomp_program = {{BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW}};
    launcher::ChildReport error;
    if (ApplySecurity(outer, &error) != 0) return 1;
    for (const char* text : {"", "lxc.seccomp.allow_nesting = 1\n"}) {
      Result<config::ContainerConfig> config =
          config::ParseContainerConfigText(text, config_path);
      if (!config.ok()) return 2;
      Result<SecurityPlan> plan = PlanSecurity(*config);
      if (!plan.ok()) return 3;
      Report(report, std::to_string(plan->seccomp_program.size() > 1) + " " +
                         std::to_string(plan->warnings.size()) + " " +
                         (plan->warnings.empty() ? "" : plan->warnings[0].substr(0, 45)));
    }
    return 0;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_EQ(result.report,
            "0 1 uxc already runs under a seccomp filter, whic\n"
            "1 0 \n");
}

TEST_F(SecurityTest, ApplyInTheContainersUserNamespace) {
  SecurityPlan plan = PlanOk("lxc.cap.drop = sys_admin\nlxc.no_new_privs = 1\n");
  auto result = RunInChild([&](int report) {
    launcher::ChildReport error;
    if (ApplySecurity(plan, &error) != 0) {
      Report(report, std::string(error.text) + ": " + strerror(error.errno_value));
      return 1;
    }
    uint64_t bounding = std::stoull(StatusField("CapBnd"), nullptr, 16);
    Report(report, std::string("sys_admin:") + ((bounding >> CAP_SYS_ADMIN) & 1 ? "1" : "0"));
    Report(report, std::string("mknod:") + ((bounding >> CAP_MKNOD) & 1 ? "1" : "0"));
    Report(report, std::string("chown:") + ((bounding >> CAP_CHOWN) & 1 ? "1" : "0"));
    Report(report, "CapInh:" + StatusField("CapInh"));
    Report(report, "CapAmb:" + StatusField("CapAmb"));
    Report(report, "NoNewPrivs:" + StatusField("NoNewPrivs"));
    Report(report, "Seccomp:" + StatusField("Seccomp"));
    long ret = syscall(SYS_kexec_load, 0, 0, nullptr, 0);
    Report(report, std::string("kexec_load:") + (ret == -1 ? strerrorname_np(errno) : "ok"));
    return 0;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_EQ(result.report,
            "sys_admin:0\nmknod:0\nchown:1\nCapInh:0000000000000000\nCapAmb:0000000000000000\n"
            "NoNewPrivs:1\nSeccomp:2\nkexec_load:EPERM\n");
}

TEST_F(SecurityTest, CompiledAfterTheCloneTheFilterIsTheSame) {
  WriteFile("later.seccomp", "2\ndenylist\nmknod notify\ngetppid errno 1\n");
  std::string text = "lxc.seccomp.profile = later.seccomp\n";
  Result<config::ContainerConfig> config = config::ParseContainerConfigText(text, dir_ + "/config");
  ASSERT_TRUE(config.ok());
  Result<SecurityPlan> later = PlanSecurity(*config, SeccompCompile::kAfterClone);
  ASSERT_TRUE(later.ok()) << later.error().ToString();
  SecurityPlan now = PlanOk(text);
  EXPECT_TRUE(later->seccomp_program.empty());
  ASSERT_TRUE(later->seccomp_profile.has_value());
  EXPECT_FALSE(now.seccomp_profile.has_value());
  EXPECT_EQ(later->warnings, now.warnings);
  ASSERT_EQ(later->warnings.size(), 1u);

  Result<std::vector<sock_filter>> program = CompileSeccompProfile(*later);
  ASSERT_TRUE(program.ok()) << program.error().ToString();
  ASSERT_EQ(program->size(), now.seccomp_program.size());
  EXPECT_EQ(memcmp(program->data(), now.seccomp_program.data(),
                   program->size() * sizeof(sock_filter)),
            0);
  Result<std::vector<sock_filter>> none = CompileSeccompProfile(now);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  auto result = RunInChild([&](int report) {
    launcher::ChildReport error;
    if (ApplySecurity(*later, *program, &error) != 0) return 1;
    long ret = syscall(SYS_getppid);
    Report(report, std::string("getppid:") + (ret == -1 ? strerrorname_np(errno) : "ok"));
    return 0;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_EQ(result.report, "getppid:EPERM\n");
}

TEST_F(SecurityTest, ApplyReportsTheFailedStep) {
  SecurityPlan plan = PlanOk("");
  auto result = RunInChild(
      [&](int report) {
        if (geteuid() == 0 && setresuid(65534, 65534, 65534) != 0) return 1;
        launcher::ChildReport error;
        int ret = ApplySecurity(plan, &error);
        Report(report, std::to_string(ret) + " " + error.text + ": " + strerrorname_np(error.errno_value));
        return 0;
      },
      /*new_user_namespace=*/false);
  EXPECT_EQ(result.report, "-1 drop capability 27 from the bounding set: EPERM\n");
}

// Terminal injection (docs/security.md, "Threats and defences"): whatever
// profile a config names, TIOCSTI and TIOCLINUX fail with EPERM, also with
// bits above the 32 of ioctl's command, which the kernel ignores; other
// ioctls pass. The child holds a pty as its controlling terminal, on which
// TIOCSTI works without the filter (dev.tty.legacy_tiocsti = 1).
void RawReport(int fd, const char* key, long ret) {
  char line[64];
  int n = snprintf(line, sizeof line, "%s=%s\n", key, ret == -1 ? strerrorname_np(errno) : "ok");
  syscall(SYS_write, fd, line, n);
}

std::string TerminalIoctls(const SecurityPlan& plan) {
  auto result = RunInChild([&](int report) {
    int master = -1, peer = -1;
    if (openpty(&master, &peer, nullptr, nullptr, nullptr) != 0 || setsid() < 0 ||
        ioctl(peer, TIOCSCTTY, 0) != 0) {
      return 1;
    }
    launcher::ChildReport error;
    if (ApplySecurity(plan, &error) != 0) return 2;
    char c = 'x', subcode = 6;  // TIOCL_GETSHIFTSTATE
    RawReport(report, "tiocsti", syscall(SYS_ioctl, peer, TIOCSTI, &c));
    RawReport(report, "tiocsti_high", syscall(SYS_ioctl, peer, TIOCSTI | (1UL << 32), &c));
    RawReport(report, "tioclinux", syscall(SYS_ioctl, peer, TIOCLINUX, &subcode));
    winsize size;
    RawReport(report, "tiocgwinsz", syscall(SYS_ioctl, peer, TIOCGWINSZ, &size));
    syscall(SYS_exit_group, 0);
    return 0;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  return result.report;
}

bool LegacyTiocsti() {
  std::ifstream setting("/proc/sys/dev/tty/legacy_tiocsti");
  int value = 1;  // kernels before 6.2 have no such setting and allow it
  setting >> value;
  return value == 1;
}

TEST_F(SecurityTest, EveryProfileRefusesTerminalInjection) {
  const char* refused = "tiocsti=EPERM\ntiocsti_high=EPERM\ntioclinux=EPERM\ntiocgwinsz=ok\n";
  EXPECT_EQ(TerminalIoctls(PlanOk("")), refused) << "LXC's common.seccomp, the default";
  WriteFile("nothing.seccomp", "2\ndenylist\n");
  EXPECT_EQ(TerminalIoctls(PlanOk("lxc.seccomp.profile = nothing.seccomp\n")), refused);
  // An allowlist that allows ioctl outright: the terminal filter still holds.
  WriteFile("allow.seccomp", "2\nallowlist errno 38\nioctl\nwrite\nexit_group\n");
  EXPECT_EQ(TerminalIoctls(PlanOk("lxc.seccomp.profile = allow.seccomp\n")), refused);
  // A profile's own, weaker answer for TIOCSTI does not override it.
  WriteFile("tiocsti.seccomp", "2\ndenylist\nioctl allow [1,0x5412,==]\n");
  EXPECT_EQ(TerminalIoctls(PlanOk("lxc.seccomp.profile = tiocsti.seccomp\n")), refused);
}

TEST_F(SecurityTest, WithoutTheTerminalFilterTiocstiWorks) {
  if (!LegacyTiocsti()) {
    GTEST_SKIP() << "dev.tty.legacy_tiocsti = 0: the kernel refuses TIOCSTI itself";
  }
  SecurityPlan plan = PlanOk("");
  ASSERT_FALSE(plan.terminal_filter.empty());
  plan.terminal_filter.clear();
  std::string report = TerminalIoctls(plan);
  EXPECT_NE(report.find("tiocsti=ok\ntiocsti_high=ok\n"), std::string::npos) << report;
}

}  // namespace
}  // namespace uxc::security

#include "launcher/engine/security/seccomp.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "config/seccomp_profile.h"
#include "launcher/engine/security/test_child.h"

namespace uxc::security {
namespace {

using testing::Report;
using testing::RunInChild;

SeccompFilter Build(const std::string& text) {
  Result<config::SeccompProfile> profile = config::ParseSeccompProfile(text, "test.seccomp");
  EXPECT_TRUE(profile.ok()) << profile.error().ToString();
  if (!profile.ok()) return {};
  Result<SeccompFilter> filter = BuildSeccompFilter(*profile);
  EXPECT_TRUE(filter.ok()) << filter.error().ToString();
  return filter.ok() ? std::move(*filter) : SeccompFilter{};
}

SeccompFilter BuildDefault() { return Build(std::string(config::DefaultSeccompProfileText())); }

// "name=ERRNONAME" for a call that failed, "name=ok" for one that did not.
std::string Outcome(const char* name, long ret) {
  if (ret != -1) return std::string(name) + "=ok";
  return std::string(name) + "=" + strerrorname_np(errno);
}

// After an allowlist filter is loaded, nothing that might make another
// syscall (malloc, a sanitizer's bookkeeping, exit handlers) is safe: these
// make exactly one each.
void RawReport(int fd, const char* text) { syscall(SYS_write, fd, text, strlen(text)); }
[[noreturn]] void RawExit(int code) {
  syscall(SYS_exit_group, code);
  __builtin_unreachable();
}

#if defined(__x86_64__)
// A syscall through the i386 compat entry point (int 0x80); returns -errno.
long Syscall32(long number, long a = 0, long b = 0) {
  long ret;
  asm volatile("int $0x80" : "=a"(ret) : "a"(number), "b"(a), "c"(b) : "memory");
  return ret;
}
constexpr long kI386Getppid = 64;
constexpr long kI386KexecLoad = 283;

bool CompatSyscallsWork() {
  auto result = RunInChild([](int) { return Syscall32(kI386Getppid) > 0 ? 0 : 1; }, false);
  return result.exit_code == 0;
}
#endif

TEST(SeccompFilterTest, DefaultProfileCompiles) {
  SeccompFilter filter = BuildDefault();
  EXPECT_GT(filter.program.size(), 10u);
  EXPECT_TRUE(filter.warnings.empty());
}

TEST(SeccompKernelTest, DefaultProfileDeniesKexecAndModules) {
  SeccompFilter filter = BuildDefault();
  auto result = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) {
      Report(report, Outcome("load", -1));
      return 1;
    }
    Report(report, Outcome("kexec_load", syscall(SYS_kexec_load, 0, 0, nullptr, 0)));
    Report(report, Outcome("init_module", syscall(SYS_init_module, nullptr, 0, "")));
    Report(report, Outcome("finit_module", syscall(SYS_finit_module, -1, "", 0)));
    Report(report, Outcome("delete_module", syscall(SYS_delete_module, "x", 0)));
    Report(report, Outcome("open_by_handle_at", syscall(SYS_open_by_handle_at, -1, nullptr, 0)));
    Report(report, Outcome("getppid", syscall(SYS_getppid)));
    Report(report, testing::StatusField("Seccomp"));
    return 0;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_EQ(result.report,
            "kexec_load=EPERM\ninit_module=EPERM\nfinit_module=EPERM\ndelete_module=EPERM\n"
            "open_by_handle_at=EPERM\ngetppid=ok\n2\n");
}

TEST(SeccompKernelTest, RejectForceUmount) {
  SeccompFilter filter = BuildDefault();
  auto result = RunInChild([&](int report) {
    // Own mount namespace: umount2 then reaches the path lookup, not the
    // permission check, unless the filter stops it first.
    if (unshare(CLONE_NEWNS) != 0) return 1;
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 2;
    Report(report, Outcome("force", umount2("/nonexistent-uxc", MNT_FORCE)));
    Report(report, Outcome("force_detach", umount2("/nonexistent-uxc", MNT_FORCE | MNT_DETACH)));
    Report(report, Outcome("plain", umount2("/nonexistent-uxc", 0)));
    Report(report, Outcome("detach", umount2("/nonexistent-uxc", MNT_DETACH)));
    return 0;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_EQ(result.report, "force=EACCES\nforce_detach=EACCES\nplain=ENOENT\ndetach=ENOENT\n");
}

#if defined(__x86_64__)
TEST(SeccompKernelTest, DefaultProfileCoversTheI386Abi) {
  if (!CompatSyscallsWork()) GTEST_SKIP() << "this kernel has no i386 emulation (int 0x80)";
  SeccompFilter filter = BuildDefault();
  auto result = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    Report(report, "kexec_load32=" + std::to_string(Syscall32(kI386KexecLoad)));
    Report(report, std::string("getppid32=") + (Syscall32(kI386Getppid) > 0 ? "ok" : "failed"));
    return 0;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_EQ(result.report, "kexec_load32=" + std::to_string(-EPERM) + "\ngetppid32=ok\n");
}

TEST(SeccompKernelTest, ArchSectionsApplyToTheirArchOnly) {
  if (!CompatSyscallsWork()) GTEST_SKIP() << "this kernel has no i386 emulation (int 0x80)";
  SeccompFilter filter = Build("2\ndenylist\n[x86]\ngetppid errno 5\n[x86_64]\ngetpgrp errno 6\n");
  auto result = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    Report(report, Outcome("getppid", syscall(SYS_getppid)));
    Report(report, "getppid32=" + std::to_string(Syscall32(kI386Getppid)));
    Report(report, Outcome("getpgrp", syscall(SYS_getpgrp)));
    Report(report, "getpgrp32=" + std::string(Syscall32(65) > 0 ? "ok" : "failed"));
    return 0;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_EQ(result.report, "getppid=ok\ngetppid32=" + std::to_string(-EIO) +
                               "\ngetpgrp=ENXIO\ngetpgrp32=ok\n");
}
#endif

TEST(SeccompKernelTest, AllowlistLetsListedCallsThroughAndKillsTheRest) {
  SeccompFilter filter = Build("2\nallowlist\nwrite\nexit_group\nexit\n");
  auto allowed = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    RawReport(report, "alive\n");
    RawExit(0);
  });
  EXPECT_EQ(allowed.exit_code, 0);
  EXPECT_EQ(allowed.report, "alive\n");

  auto denied = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    RawReport(report, "before\n");
    syscall(SYS_getppid);
    RawReport(report, "after\n");
    RawExit(0);
  });
  EXPECT_EQ(denied.term_signal, SIGSYS) << denied.report;
  EXPECT_EQ(denied.report, "before\n");
}

TEST(SeccompKernelTest, AllowlistWithErrnoDefault) {
  SeccompFilter filter = Build("2\nallowlist errno 1\nwrite\nexit_group\n");
  auto result = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    long ret = syscall(SYS_getppid);
    RawReport(report, ret == -1 && errno == EPERM ? "EPERM\n" : "other\n");
    RawExit(0);
  });
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.report, "EPERM\n");
}

TEST(SeccompKernelTest, VersionOneAllowlistOfNumbers) {
  SeccompFilter filter = Build("1\nallowlist\n" + std::to_string(SYS_write) + "\n" +
                               std::to_string(SYS_exit_group) + "\n");
  auto allowed = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    RawReport(report, "alive\n");
    syscall(SYS_getppid);
    RawReport(report, "after\n");
    RawExit(0);
  });
  EXPECT_EQ(allowed.term_signal, SIGSYS);
  EXPECT_EQ(allowed.report, "alive\n");
}

TEST(SeccompKernelTest, TrapRaisesSigsys) {
  SeccompFilter filter = Build("2\ndenylist\ngetppid trap\n");
  auto result = RunInChild([&](int) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    syscall(SYS_getppid);
    return 0;
  });
  EXPECT_EQ(result.term_signal, SIGSYS);
}

TEST(SeccompKernelTest, KillKillsTheWholeProcess) {
  SeccompFilter filter = Build("2\ndenylist\ngetppid\n");
  auto result = RunInChild([&](int) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    syscall(SYS_getppid);
    return 0;
  });
  EXPECT_EQ(result.term_signal, SIGSYS);
}

TEST(SeccompKernelTest, ArgumentComparisons) {
  SeccompFilter filter = Build(
      "2\ndenylist\n"
      "socket errno 97 [0,10,==]\n"
      "unshare errno 1 [0,0x10000000,&=,0x10000000]\n"
      "getpriority errno 22 [0,2,>=]\n");
  auto result = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    Report(report, Outcome("socket6", socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0)));
    Report(report, Outcome("socket_unix", socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)));
    Report(report, Outcome("unshare_user", unshare(CLONE_NEWUSER)));
    Report(report, Outcome("unshare_uts", unshare(CLONE_NEWUTS)));
    Report(report, Outcome("getpriority_user", syscall(SYS_getpriority, PRIO_USER, 0)));
    Report(report, Outcome("getpriority_process", syscall(SYS_getpriority, PRIO_PROCESS, 0)));
    return 0;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_EQ(result.report,
            "socket6=EAFNOSUPPORT\nsocket_unix=ok\nunshare_user=EPERM\nunshare_uts=ok\n"
            "getpriority_user=EINVAL\ngetpriority_process=ok\n");
}

TEST(SeccompKernelTest, NotifyReturnsEnosysWithAWarning) {
  SeccompFilter filter = Build("2\ndenylist\n\ngetppid notify\n");
  ASSERT_EQ(filter.warnings.size(), 1u);
  EXPECT_EQ(filter.warnings[0].rfind("test.seccomp:4: the notify action needs a seccomp listener", 0),
            0u)
      << filter.warnings[0];
  auto result = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    Report(report, Outcome("getppid", syscall(SYS_getppid)));
    return 0;
  });
  EXPECT_EQ(result.report, "getppid=ENOSYS\n");
}

TEST(SeccompFilterTest, UnknownSyscallIsIgnoredWithAWarning) {
  SeccompFilter filter = Build("2\ndenylist\nno_such_call errno 1\ngetppid errno 1\n");
  ASSERT_EQ(filter.warnings.size(), 1u);
  EXPECT_EQ(filter.warnings[0],
            "test.seccomp:3: unknown syscall \"no_such_call\" (libseccomp knows no such name); "
            "the rule is ignored");
}

TEST(SeccompFilterTest, RuleThatRepeatsTheDefaultIsANoOp) {
  SeccompFilter with = Build("2\ndenylist\nread allow\n");
  SeccompFilter without = Build("2\ndenylist\n");
  ASSERT_EQ(with.program.size(), without.program.size());
  EXPECT_EQ(memcmp(with.program.data(), without.program.data(),
                   with.program.size() * sizeof(sock_filter)),
            0);
}

TEST(SeccompKernelTest, ASecondRuleForTheSameCallIsIgnoredWithAWarning) {
  SeccompFilter filter = Build("2\ndenylist\ngetppid errno 1\ngetppid errno 2\n");
  ASSERT_EQ(filter.warnings.size(), 1u);
  EXPECT_EQ(filter.warnings[0],
            "test.seccomp:4: getppid already has a rule on line 3; this one (errno 2) is ignored");
  auto result = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter.program.data(), filter.program.size()) != 0) return 1;
    Report(report, Outcome("getppid", syscall(SYS_getppid)));
    return 0;
  });
  EXPECT_EQ(result.report, "getppid=EPERM\n");
}

TEST(SeccompFilterTest, LibseccompErrorsNameTheLine) {
  // Two comparisons of one argument in one rule: libseccomp refuses them.
  Result<config::SeccompProfile> profile = config::ParseSeccompProfile(
      "2\ndenylist\n\ngetpriority errno 1 [0,1,==] [0,2,==]\n", "x.seccomp");
  ASSERT_TRUE(profile.ok());
  Result<SeccompFilter> filter = BuildSeccompFilter(*profile);
  ASSERT_FALSE(filter.ok());
  EXPECT_EQ(filter.error().message.rfind("x.seccomp:4: add the seccomp rule for getpriority", 0),
            0u)
      << filter.error().ToString();
}

TEST(SeccompFilterTest, ReviewGivesTheWarningsOfABuild) {
  for (const char* text : {"2\ndenylist\n\ngetppid notify\n",
                           "2\ndenylist\nno_such_call errno 1\ngetppid errno 1\n",
                           "2\ndenylist\ngetppid errno 1\ngetppid errno 2\nread allow\n",
                           "2\nallowlist notify\n[x86]\nwrite\n[x86_64]\nwrite\nwrite errno 3\n",
                           "1\nallowlist\n1\n1\n"}) {
    Result<config::SeccompProfile> profile = config::ParseSeccompProfile(text, "test.seccomp");
    ASSERT_TRUE(profile.ok()) << profile.error().ToString();
    std::vector<std::string> reviewed = ReviewSeccompProfile(*profile);
    EXPECT_FALSE(reviewed.empty()) << text;
    EXPECT_EQ(reviewed, Build(text).warnings) << text;
  }
  Result<config::SeccompProfile> common =
      config::ParseSeccompProfile(config::DefaultSeccompProfileText(), "common.seccomp");
  ASSERT_TRUE(common.ok());
  EXPECT_TRUE(ReviewSeccompProfile(*common).empty());
}

TEST(SeccompFilterTest, ReviewLeavesLibseccompsErrorsToTheBuild) {
  Result<config::SeccompProfile> profile = config::ParseSeccompProfile(
      "2\ndenylist\n\ngetpriority errno 1 [0,1,==] [0,2,==]\n", "x.seccomp");
  ASSERT_TRUE(profile.ok());
  EXPECT_TRUE(ReviewSeccompProfile(*profile).empty());
  EXPECT_FALSE(BuildSeccompFilter(*profile).ok());
}

TEST(SeccompKernelTest, LoadingNeedsNoNewPrivsOrCapSysAdmin) {
  SeccompFilter filter = BuildDefault();
  auto result = RunInChild(
      [&](int report) {
        if (geteuid() == 0 && setresuid(65534, 65534, 65534) != 0) return 1;
        Report(report, Outcome("without", LoadSeccompFilter(filter.program.data(),
                                                             filter.program.size())));
        prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        Report(report, Outcome("with_nnp", LoadSeccompFilter(filter.program.data(),
                                                              filter.program.size())));
        return 0;
      },
      /*new_user_namespace=*/false);
  EXPECT_EQ(result.report, "without=EACCES\nwith_nnp=ok\n");
}

TEST(SeccompFilterTest, TerminalFilterCompilesForEveryHostAbi) {
  Result<std::vector<sock_filter>> filter = BuildTerminalIoctlFilter();
  ASSERT_TRUE(filter.ok()) << filter.error().ToString();
  EXPECT_GT(filter->size(), 4u);
}

TEST(SeccompKernelTest, TerminalFilterRefusesTiocstiAndTioclinuxOnly) {
  Result<std::vector<sock_filter>> filter = BuildTerminalIoctlFilter();
  ASSERT_TRUE(filter.ok()) << filter.error().ToString();
  bool compat = false;
#if defined(__x86_64__)
  compat = CompatSyscallsWork();
#endif
  auto result = RunInChild([&](int report) {
    if (LoadSeccompFilter(filter->data(), filter->size()) != 0) return 1;
    char c = 'x';
    Report(report, Outcome("tiocsti", syscall(SYS_ioctl, 0, TIOCSTI, &c)));
    Report(report, Outcome("tiocsti_high", syscall(SYS_ioctl, 0, TIOCSTI | (1UL << 32), &c)));
    Report(report, Outcome("tioclinux", syscall(SYS_ioctl, 0, TIOCLINUX, &c)));
    Report(report, Outcome("fionread", syscall(SYS_ioctl, -1, FIONREAD, &c)));
#if defined(__x86_64__)
    // The i386 ABI: ioctl is 54 there.
    if (compat) {
      long ret = Syscall32(54, 0, TIOCSTI);
      Report(report, std::string("tiocsti_i386=") + (ret == -EPERM ? "EPERM" : std::to_string(ret)));
    }
#endif
    return 0;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_NE(result.report.find("tiocsti=EPERM\ntiocsti_high=EPERM\ntioclinux=EPERM\nfionread=EBADF\n"),
            std::string::npos)
      << result.report;
#if defined(__x86_64__)
  if (compat) {
    EXPECT_NE(result.report.find("tiocsti_i386=EPERM"), std::string::npos) << result.report;
  }
#endif
}

}  // namespace
}  // namespace uxc::security

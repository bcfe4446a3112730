// The security settings and hooks of a real container: the installed `uxc
// run` as an unprivileged user with a subordinate range, on a small rootfs
// with busybox and a static probe that reports what the kernel allowed.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/lib/host.h"

namespace uxc::testing {
namespace {

constexpr uid_t kSubidStart = 600000;
constexpr uid_t kContainerUser = 1000;  // lxc.init.uid for the setuid tests
constexpr int kCapMknod = 27;
constexpr int kCapNetRaw = 13;
constexpr int kCapSysAdmin = 21;

std::string Shell(const std::string& command) {
  CommandResult result = Run({"/bin/sh", "-c", command});
  EXPECT_EQ(result.exit_code, 0) << command << "\n" << result.err;
  return result.out;
}

void WriteFile(const std::string& path, const std::string& content, mode_t mode) {
  std::ofstream(path) << content;
  chmod(path.c_str(), mode);
}

// The value of "Key=..." in the probe's output.
std::string Field(const std::string& output, const std::string& key) {
  size_t at = output.find(key + "=");
  if (at == std::string::npos) return "(no " + key + " in: " + output + ")";
  at += key.size() + 1;
  return output.substr(at, output.find('\n', at) - at);
}

uint64_t Mask(const std::string& hex) { return std::strtoull(hex.c_str(), nullptr, 16); }

// A new user namespace starts with a full bounding set (user_namespaces(7)),
// whatever the launcher's was: every capability the kernel knows.
uint64_t FullSet() {
  std::ifstream last("/proc/sys/kernel/cap_last_cap");
  int last_cap = 0;
  last >> last_cap;
  return (uint64_t{2} << last_cap) - 1;
}

// The probe, built beside this test and found through its runfiles.
std::string ProbePath() {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  self[n] = '\0';
  return std::string(self) + ".runfiles/uxc/tests/integration/security_probe";
}

class SecurityContainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = EnsureUser("uxct-security");
    std::string range = user_.name + ":" + std::to_string(kSubidStart) + ":65536\n";
    subuid_ = std::make_unique<ScopedHostFile>("/etc/subuid", range);
    subgid_ = std::make_unique<ScopedHostFile>("/etc/subgid", range);
    char dir[] = "/var/tmp/uxc-security.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr) << strerror(errno);
    dir_ = dir;
    ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
    rootfs_ = dir_ + "/rootfs";
    MakeRootfs();
  }

  void TearDown() override { Shell("rm -rf '" + dir_ + "'"); }

  // busybox, the probe, and a setuid-root copy of the probe owned by the
  // container's root (the first subordinate uid).
  void MakeRootfs() {
    std::string probe = ProbePath();
    ASSERT_EQ(access(probe.c_str(), X_OK), 0) << probe << ": " << strerror(errno);
    Shell("mkdir -p '" + rootfs_ + "'/bin '" + rootfs_ + "'/proc '" + rootfs_ + "'/sys '" +
          rootfs_ + "'/dev '" + rootfs_ + "'/tmp '" + rootfs_ + "'/etc");
    for (const char* applet : {"sh", "cat", "grep"}) {
      Shell("ln -sf busybox '" + rootfs_ + "/bin/" + applet + "'");
    }
    Shell("cp /bin/busybox '" + rootfs_ + "/bin/busybox'");
    Shell("cp '" + probe + "' '" + rootfs_ + "/bin/probe' && chmod 0755 '" + rootfs_ +
          "/bin/probe'");
    Shell("cp '" + probe + "' '" + rootfs_ + "/bin/probe-setuid' && chown " +
          std::to_string(kSubidStart) + ":" + std::to_string(kSubidStart) + " '" + rootfs_ +
          "/bin/probe-setuid' && chmod 4755 '" + rootfs_ + "/bin/probe-setuid'");
    Shell("chmod -R a+rX '" + rootfs_ + "'");
  }

  // `uxc run --rootfs ROOTFS -s KEY=VALUE... -- COMMAND...` as the user.
  CommandResult UxcRun(const std::vector<std::string>& settings,
                       const std::vector<std::string>& command) {
    std::vector<std::string> argv = {InstalledBinary("uxc"), "run", "--rootfs", rootfs_};
    for (const std::string& setting : settings) {
      argv.push_back("-s");
      argv.push_back(setting);
    }
    argv.push_back("--");
    argv.insert(argv.end(), command.begin(), command.end());
    RunOptions options;
    options.timeout_seconds = 60;
    return RunAs(user_, argv, options);
  }

  // A file the user can read, e.g. a seccomp profile.
  std::string UserFile(const std::string& name, const std::string& content, mode_t mode = 0644) {
    std::string path = dir_ + "/" + name;
    WriteFile(path, content, mode);
    return path;
  }

  HostUser user_;
  std::string dir_;
  std::string rootfs_;
  std::unique_ptr<ScopedHostFile> subuid_;
  std::unique_ptr<ScopedHostFile> subgid_;
};

TEST_F(SecurityContainerTest, DefaultCapabilitySets) {
  CommandResult result = UxcRun({}, {"/bin/probe", "status"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  uint64_t expected = FullSet() & ~(uint64_t{1} << kCapMknod);
  EXPECT_EQ(Mask(Field(result.out, "CapBnd")), expected) << result.out;
  // Root of the container holds what its bounding set allows, nothing
  // inheritable or ambient.
  EXPECT_EQ(Mask(Field(result.out, "CapEff")), expected) << result.out;
  EXPECT_EQ(Field(result.out, "CapInh"), "0000000000000000");
  EXPECT_EQ(Field(result.out, "CapAmb"), "0000000000000000");
  EXPECT_EQ(Field(result.out, "NoNewPrivs"), "0");
  EXPECT_EQ(Field(result.out, "Seccomp"), "2");
}

TEST_F(SecurityContainerTest, CapDrop) {
  CommandResult result = UxcRun({"lxc.cap.drop=sys_admin net_raw"}, {"/bin/probe", "status"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  uint64_t dropped = (uint64_t{1} << kCapMknod) | (uint64_t{1} << kCapSysAdmin) |
                     (uint64_t{1} << kCapNetRaw);
  EXPECT_EQ(Mask(Field(result.out, "CapBnd")), FullSet() & ~dropped) << result.out;
}

TEST_F(SecurityContainerTest, CapKeep) {
  CommandResult result = UxcRun({"lxc.cap.keep=chown"}, {"/bin/probe", "status"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Field(result.out, "CapBnd"), "0000000000000001");
  EXPECT_EQ(Field(result.out, "CapEff"), "0000000000000001");
}

TEST_F(SecurityContainerTest, CapKeepAndDropTogetherAreRefused) {
  CommandResult result =
      UxcRun({"lxc.cap.keep=chown", "lxc.cap.drop=sys_admin"}, {"/bin/probe", "status"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("lxc.cap.keep"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("lxc.cap.drop"), std::string::npos) << result.err;
}

TEST_F(SecurityContainerTest, DefaultProfileDeniesKexecLoad) {
  CommandResult result = UxcRun({}, {"/bin/probe", "kexec"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "kexec_load=EPERM\n");
}

TEST_F(SecurityContainerTest, DefaultProfileRejectsForceUmount) {
  CommandResult result = UxcRun({}, {"/bin/probe", "umount", "/proc"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Field(result.out, "umount_force"), "EACCES") << result.out;
  EXPECT_NE(Field(result.out, "umount"), "EACCES") << result.out;
  // Without the rule the same call reaches the kernel.
  std::string empty = UserFile("empty.seccomp", "2\ndenylist\n");
  CommandResult open = UxcRun({"lxc.seccomp.profile=" + empty}, {"/bin/probe", "umount", "/proc"});
  ASSERT_EQ(open.exit_code, 0) << open.err;
  EXPECT_NE(Field(open.out, "umount_force"), "EACCES") << open.out;
}

// What the launcher's child does after the filter is loaded (the identity
// switch, the hand-over to the launcher, the tiny init that waits for the
// command), what a static program needs to start and print, and what the
// sanitizer runtime of an ASan build of uxc adds (tests/run runs both).
constexpr char kAllowlist[] =
    "sendmsg\nrecvmsg\nclose\nclose_range\nsetgroups\nsetresgid\nsetresuid\nprctl\nchdir\n"
    "fchdir\nrt_sigprocmask\nrt_sigaction\nrt_sigreturn\nrt_sigtimedwait\nexecve\ndup2\ndup3\n"
    "fcntl\nioctl\nsetsid\nclone\nclone3\nvfork\nfork\nwait4\nwaitid\nkill\nexit\nexit_group\n"
    "brk\narch_prctl\nset_tid_address\nset_robust_list\nrseq\nprlimit64\nmprotect\nmmap\n"
    "munmap\ngetrandom\nnewfstatat\nfstat\nreadlinkat\nuname\nwrite\nopenat\nread\ngeteuid\n"
    "sigaltstack\ngettid\ngetpid\nmadvise\nsched_yield\nfutex\nreadlink\nmremap\n";

TEST_F(SecurityContainerTest, AllowlistProfile) {
  std::string profile = UserFile("allow.seccomp", std::string("2\nallowlist errno 1\n") + kAllowlist);
  CommandResult allowed = UxcRun({"lxc.seccomp.profile=" + profile}, {"/bin/probe", "euid"});
  ASSERT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_EQ(allowed.out, "euid=0\n");
  CommandResult denied = UxcRun({"lxc.seccomp.profile=" + profile}, {"/bin/probe", "getppid"});
  ASSERT_EQ(denied.exit_code, 0) << denied.err;
  EXPECT_EQ(denied.out, "getppid=EPERM\n");
}

TEST_F(SecurityContainerTest, AllowlistKillsTheCommand) {
  std::string profile = UserFile("kill.seccomp", std::string("2\nallowlist\n") + kAllowlist);
  CommandResult allowed = UxcRun({"lxc.seccomp.profile=" + profile}, {"/bin/probe", "euid"});
  ASSERT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_EQ(allowed.out, "euid=0\n");
  CommandResult killed = UxcRun({"lxc.seccomp.profile=" + profile}, {"/bin/probe", "getppid"});
  EXPECT_EQ(killed.exit_code, 128 + SIGSYS) << killed.err;
  EXPECT_EQ(killed.out, "");
}

TEST_F(SecurityContainerTest, BadProfileNamesItsLine) {
  std::string profile = UserFile("bad.seccomp", "2\ndenylist\nkexec_load errno x\n");
  CommandResult result = UxcRun({"lxc.seccomp.profile=" + profile}, {"/bin/probe", "euid"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find(profile + ":3: bad errno value \"x\""), std::string::npos)
      << result.err;
}

// uxc compiles the filter after the clone, while the init sets up: a rule
// that libseccomp refuses then stops the start there, before the command.
TEST_F(SecurityContainerTest, ProfileLibseccompRefusesStopsTheStart) {
  std::string profile =
      UserFile("refused.seccomp", "2\ndenylist\n\ngetpriority errno 1 [0,1,==] [0,2,==]\n");
  CommandResult result = UxcRun({"lxc.seccomp.profile=" + profile}, {"/bin/probe", "euid"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find(profile + ":4: add the seccomp rule for getpriority"),
            std::string::npos)
      << result.err;
}

TEST_F(SecurityContainerTest, SetuidBinaryInTheRootfsGivesRootWithoutNoNewPrivs) {
  CommandResult result = UxcRun({"lxc.init.uid=" + std::to_string(kContainerUser)},
                                {"/bin/probe-setuid", "euid"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "euid=0\n");
}

TEST_F(SecurityContainerTest, NoNewPrivsKeepsTheSetuidBinaryFromGainingAnything) {
  CommandResult result =
      UxcRun({"lxc.init.uid=" + std::to_string(kContainerUser), "lxc.no_new_privs=1"},
             {"/bin/probe-setuid", "euid"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "euid=" + std::to_string(kContainerUser) + "\n");
  CommandResult status =
      UxcRun({"lxc.init.uid=" + std::to_string(kContainerUser), "lxc.no_new_privs=1"},
             {"/bin/probe", "status"});
  EXPECT_EQ(Field(status.out, "NoNewPrivs"), "1") << status.out;
  EXPECT_EQ(Field(status.out, "CapEff"), "0000000000000000") << status.out;
}

TEST_F(SecurityContainerTest, HooksRunAtTheirPlacesWithLxcsArguments) {
  // Host-side and pre-pivot hooks are host files; the start hook lives in
  // the container. All report on stderr (a hook's stdout goes there).
  std::string hook = UserFile("hook",
                              "#!/bin/sh\necho \"hook $LXC_HOOK_TYPE|$2 $3|"
                              "$LXC_ROOTFS_MOUNT|$LXC_HOOK_VERSION|$LXC_TARGET\"\n",
                              0755);
  WriteFile(rootfs_ + "/bin/start-hook",
            "#!/bin/sh\necho \"inside $2 $3|$(cat /proc/self/status | grep ^Seccomp:)\"\n", 0755);
  CommandResult result = UxcRun(
      {"lxc.hook.pre-start=" + hook, "lxc.hook.pre-mount=" + hook, "lxc.hook.mount=" + hook,
       "lxc.hook.autodev=" + hook, "lxc.hook.start=/bin/start-hook", "lxc.hook.stop=" + hook,
       "lxc.hook.post-stop=" + hook},
      {"/bin/probe", "euid"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "euid=0\n");
  std::string expected;
  for (const char* type : {"pre-start", "pre-mount", "mount", "autodev"}) {
    expected += std::string("hook |lxc ") + type + "|" + rootfs_ + "|0|\n";
  }
  expected += "inside lxc start|Seccomp:\t2\n";
  expected += "hook |lxc stop|" + rootfs_ + "|0|stop\n";
  expected += "hook |lxc post-stop|" + rootfs_ + "|0|stop\n";
  EXPECT_NE(result.err.find(expected), std::string::npos) << result.err;
}

TEST_F(SecurityContainerTest, HookVersionOne) {
  std::string hook = UserFile("hook1", "#!/bin/sh\necho \"hook1 $#|$LXC_HOOK_TYPE|$LXC_HOOK_SECTION\"\n",
                              0755);
  CommandResult result =
      UxcRun({"lxc.hook.version=1", "lxc.hook.mount=" + hook}, {"/bin/probe", "euid"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("hook1 0|mount|lxc\n"), std::string::npos) << result.err;
}

TEST_F(SecurityContainerTest, FailingHookStopsTheStart) {
  std::string hook = UserFile("fail", "#!/bin/sh\nexit 4\n", 0755);
  CommandResult result = UxcRun({"lxc.hook.mount=" + hook}, {"/bin/probe", "euid"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("lxc.hook.mount \"" + hook + "\" exited with status 4"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace uxc::testing

// What container code can reach of the user through uxc's own processes
// (issue 9, items 1-4): the fds, environment, memory and binary of the
// processes that uxc runs among the container's, and the user's terminal.
// Each test performs the attack for real with a static probe inside a
// busybox container of a real unprivileged user. The user has no
// subordinate ids, so the container maps the user's own uid as root (uxc's
// default then), and runs a user-owned copy of uxc from ~/bin: the setup in
// which a rewritten binary is the user's next command.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/runtime_fixture.h"
#include "tests/lib/host.h"

namespace uxc::testing {
namespace {

constexpr char kSecret[] = "uxc-reach-secret-4f1d9c";
constexpr char kName[] = "c";

std::string ProbePath() {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  self[n] = '\0';
  return std::string(self) + ".runfiles/uxc/tests/integration/reach_probe";
}

std::string ReadOrEmpty(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// The value of "key=..." on its line of a probe report.
std::string Field(const std::string& report, const std::string& key) {
  std::istringstream lines(report);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    // On a pty, what TIOCSTI pushed in is echoed before the line.
    line.erase(0, line.find_first_not_of(' '));
    if (line.starts_with(key + "=")) return line.substr(key.size() + 1);
  }
  return "(no " + key + " in:\n" + report + ")";
}

// Waits, up to `seconds`, for a file to exist with content.
std::string WaitForFile(const std::string& path, int seconds) {
  for (int i = 0; i < seconds * 10; ++i) {
    std::string text = ReadOrEmpty(path);
    if (!text.empty()) return text;
    usleep(100 * 1000);
  }
  return "";
}

class SecurityReachTest : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = EnsureUser("uxct-reach");
    // No subordinate ids: root of the container is the user's own uid.
    subuid_ = std::make_unique<ScopedHostFile>("/etc/subuid", "");
    subgid_ = std::make_unique<ScopedHostFile>("/etc/subgid", "");
    std::string pattern = "/var/tmp/uxc-reach-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    scratch_ = pattern;
    ASSERT_EQ(chmod(scratch_.c_str(), 0755), 0);
    rootfs_ = scratch_ + "/rootfs";
    MakeBusyboxRootfs(rootfs_, user_.uid);
    std::string probe = ProbePath();
    ASSERT_EQ(access(probe.c_str(), X_OK), 0) << probe << ": " << strerror(errno);
    std::string owner = user_.name + ":";
    RootShell("cp " + probe + " " + rootfs_ + "/bin/probe && chown " + owner + " " + rootfs_ +
              "/bin/probe && chmod 0755 " + rootfs_ + "/bin/probe");
    path_ = scratch_ + "/containers";
    RootShell("mkdir -p " + path_ + " && chown " + owner + " " + path_);
    // The user's own uxc in ~/bin, and the files whose fds leak.
    bin_ = user_.home + "/bin";
    RootShell("rm -rf " + bin_ + " && mkdir " + bin_ + " && cp " + InstalledBinary("uxc") + " " +
              InstalledBinary("uxc-monitor") + " " + bin_ + "/ && chown -R " + owner + " " + bin_);
    original_uxc_ = ReadOrEmpty(bin_ + "/uxc");
    ASSERT_FALSE(original_uxc_.empty());
    secret_file_ = user_.home + "/secret-file";
    log_file_ = user_.home + "/append-log";
    RootShell("printf '%s\\n' " + std::string(kSecret) + " > " + secret_file_ + " && echo log-line > " + log_file_ +
              " && chown " + owner + " " + secret_file_ + " " + log_file_ + " && chmod 0600 " + secret_file_ + " " +
              log_file_);
  }

  void TearDown() override {
    for (pid_t pid : ProcessesOf(user_.uid)) kill(pid, SIGKILL);
    uxc::testing::Run({"rm", "-rf", user_.home + "/.cache/uxc", bin_, secret_file_, log_file_});
    if (!scratch_.empty()) uxc::testing::Run({"rm", "-rf", "--one-file-system", scratch_});
    subgid_.reset();
    subuid_.reset();
  }

  void WriteConfig(const std::string& extra) {
    std::string dir = path_ + "/" + kName;
    RootShell("mkdir -p " + dir);
    std::ofstream(dir + "/config") << "lxc.rootfs.path = dir:" << rootfs_
                                   << "\nlxc.net.0.type = empty\nlxc.mount.auto = proc:mixed sys:ro\nlxc.init.cmd = /bin/sleep 600\n"
                                   << extra;
    RootShell("chown -R " + user_.name + ": " + dir);
  }

  // ~/bin/uxc COMMAND -P PATH ARGS... as the user, with a secret in the
  // environment.
  CommandResult Uxc(const std::string& command, const std::vector<std::string>& args,
                    RunOptions options = {}) {
    std::vector<std::string> argv = {bin_ + "/uxc", command, "-P", path_};
    argv.insert(argv.end(), args.begin(), args.end());
    options.env.emplace("UXC_TEST_SECRET", kSecret);
    return RunAs(user_, argv, options);
  }

  // The same through a shell that first opens fd 3 on the 0600 file, fd 4
  // on the home directory and fd 5 on the log file for appending.
  CommandResult UxcWithOpenFds(const std::string& command_line) {
    RunOptions options;
    options.env.emplace("UXC_TEST_SECRET", kSecret);
    std::string line = "exec 3<" + secret_file_ + " 4<" + user_.home + " 5>>" + log_file_ + "; exec " + bin_ +
                       "/uxc " + command_line;
    return RunAs(user_, {"/bin/sh", "-c", line}, options);
  }

  void Start() {
    auto started = Uxc("start", {kName});
    ASSERT_EQ(started.exit_code, 0) << started.err;
  }

  void Stop() {
    auto stopped = Uxc("stop", {kName, "-k"});
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  }

  // Neither the binary nor the user's files were written from inside.
  void ExpectUserFilesIntact() {
    EXPECT_TRUE(ReadOrEmpty(bin_ + "/uxc") == original_uxc_) << "~/bin/uxc was rewritten from the container";
    EXPECT_EQ(ReadOrEmpty(log_file_), "log-line\n");
  }

  // A report of `reach_probe fds`: no fd beyond stdio, and nothing read,
  // listed or written through one.
  void ExpectNoFdReached(const std::string& report) {
    EXPECT_EQ(Field(report, "fds_beyond_stdio"), "0") << report;
    EXPECT_EQ(report.find(kSecret), std::string::npos) << report;
    EXPECT_EQ(report.find("secret-file"), std::string::npos) << report;
    ExpectUserFilesIntact();
  }

  HostUser user_;
  std::string scratch_, rootfs_, path_, bin_;
  std::string original_uxc_, secret_file_, log_file_;
  std::unique_ptr<ScopedHostFile> subuid_, subgid_;
};

// Item 2: `uxc attach` run with fds open on a 0600 file, the home directory
// and an O_APPEND file; the command tries each fd it finds.
TEST_F(SecurityReachTest, AttachedCommandGetsNoFdOfTheCaller) {
  WriteConfig("");
  Start();
  auto attached = UxcWithOpenFds("attach -P " + path_ + " " + kName + " -- /bin/probe fds -");
  EXPECT_EQ(attached.exit_code, 0) << attached.err;
  ExpectNoFdReached(attached.out);
  Stop();
}

// Item 2: the same fds open when `uxc start` runs an lxc.hook.start program.
TEST_F(SecurityReachTest, StartHookGetsNoFdOfTheCaller) {
  WriteConfig("lxc.hook.start = /bin/probe fds /tmp/fds-report\n");
  auto started = UxcWithOpenFds("start -P " + path_ + " " + kName);
  ASSERT_EQ(started.exit_code, 0) << started.err;
  ExpectNoFdReached(ReadOrEmpty(rootfs_ + "/tmp/fds-report"));
  Stop();
}

// Item 3: as container root, the start hook goes for pid 1, which is still
// uxc while the hook runs, and leaves a daemon that tries to open the
// binary for writing once nothing executes it (runc's CVE-2019-5736).
TEST_F(SecurityReachTest, StartHookCannotReachPid1OrItsBinary) {
  WriteConfig("lxc.hook.start = /bin/probe pid1 /tmp/pid1-report\n");
  Start();
  std::string report = ReadOrEmpty(rootfs_ + "/tmp/pid1-report");
  ASSERT_FALSE(report.empty()) << "the hook wrote no report";
  // EACCES: pid 1 is there, and the kernel's ptrace access check refuses.
  for (const char* attempt : {"environ", "mem", "fd_list", "exe_link", "exe_open_path", "exe_open_write"}) {
    EXPECT_EQ(Field(report, attempt), "EACCES") << attempt << " in:\n" << report;
  }
  EXPECT_EQ(report.find(kSecret), std::string::npos) << report;
  // The daemon reports when it wrote or gave up (the probe's deadline).
  std::string daemon = WaitForFile(rootfs_ + "/tmp/pid1-report.exe", 90);
  EXPECT_NE(Field(daemon, "exe_write"), "ok") << daemon;
  ExpectUserFilesIntact();
  Stop();
}

// Item 4: a container daemon watches for every new pid and tries its
// environ and exe while the user runs `uxc attach` again and again.
TEST_F(SecurityReachTest, AttachRaceNeverExposesTheAttachingProcess) {
  constexpr int kAttaches = 40;
  WriteConfig("");
  Start();
  auto daemon = Uxc("attach", {kName, "--", "/bin/probe", "race", "/tmp/race-report", kSecret, "/tmp/race-stop"});
  ASSERT_EQ(daemon.exit_code, 0) << daemon.err;
  for (int i = 0; i < kAttaches; ++i) {
    auto attached = Uxc("attach", {kName, "--", "true"});
    EXPECT_EQ(attached.exit_code, 0) << attached.err;
  }
  RootShell("touch " + rootfs_ + "/tmp/race-stop");
  std::string report = WaitForFile(rootfs_ + "/tmp/race-report", 30);
  ASSERT_FALSE(report.empty()) << "the daemon wrote no report";
  EXPECT_GT(std::stoi(Field(report, "seen")), 0) << "the daemon saw no process: " << report;
  EXPECT_EQ(Field(report, "environ_hits"), "0") << report;
  EXPECT_EQ(Field(report, "exe_hits"), "0") << report;
  EXPECT_NE(Field(report, "exe_write"), "ok") << report;
  ExpectUserFilesIntact();
  Stop();
}

// Items 3 and 4, runc's CVE-2019-5736: a file of the container whose
// interpreter line is #!/proc/self/exe makes the uxc process that execs it
// run the uxc binary inside the container, as container root and dumpable
// there. The daemon takes that process's /proc/PID/exe and writes through it
// once it exits.
TEST_F(SecurityReachTest, InterpreterProcSelfExeGivesNoWritableBinary) {
  constexpr int kAttaches = 10;
  WriteConfig("");
  RootShell("printf '#!/proc/self/exe\\n' > " + rootfs_ + "/bin/evil && chown " + user_.name + " " + rootfs_ +
            "/bin/evil && chmod 0755 " + rootfs_ + "/bin/evil");
  // A uxc linked dynamically (the ASan build) runs in the container only
  // with its loader and libraries there, as in any distribution's rootfs.
  RootShell("for f in $(ldd " + bin_ + "/uxc 2>/dev/null | grep -o '/[^ ]*'); do cp -L --parents \"$f\" " + rootfs_ +
            "; done; true");
  Start();
  auto daemon = Uxc("attach", {kName, "--", "/bin/probe", "race", "/tmp/race-report", kSecret, "/tmp/race-stop"});
  ASSERT_EQ(daemon.exit_code, 0) << daemon.err;
  for (int i = 0; i < kAttaches; ++i) Uxc("attach", {kName, "--", "/bin/evil"});
  RootShell("touch " + rootfs_ + "/tmp/race-stop");
  std::string report = WaitForFile(rootfs_ + "/tmp/race-report", 30);
  ASSERT_FALSE(report.empty()) << "the daemon wrote no report";
  // The binary did run in the container, and the daemon got hold of it.
  EXPECT_GT(std::stoi(Field(report, "exe_hits")), 0) << report;
  EXPECT_EQ(Field(report, "environ_hits"), "0") << report;
  EXPECT_NE(Field(report, "exe_write"), "ok") << report;
  ExpectUserFilesIntact();
  Stop();
}

// Item 3: the start hook's environment is LXC's hook environment, not the
// user's; a host-side hook keeps the user's identity, not their secrets.
TEST_F(SecurityReachTest, HooksGetLxcsEnvironmentNotTheUsers) {
  std::string host_report = scratch_ + "/pre-start-env";
  RootShell("touch " + host_report + " && chown " + user_.name + " " + host_report);
  WriteConfig("lxc.hook.version = 1\nlxc.hook.start = /bin/probe env /tmp/env-report\n"
              "lxc.hook.pre-start = /bin/sh -c 'env > " + host_report + "'\n");
  Start();
  std::string report = ReadOrEmpty(rootfs_ + "/tmp/env-report");
  EXPECT_EQ(report.find(kSecret), std::string::npos) << report;
  EXPECT_EQ(Field(report, "LXC_NAME"), kName) << report;
  EXPECT_EQ(Field(report, "LXC_HOOK_TYPE"), "start") << report;
  EXPECT_EQ(Field(report, "LXC_HOOK_SECTION"), "lxc") << report;
  EXPECT_EQ(Field(report, "LXC_HOOK_VERSION"), "1") << report;
  EXPECT_EQ(Field(report, "LXC_CONFIG_FILE"), path_ + "/" + kName + "/config") << report;
  EXPECT_EQ(Field(report, "LXC_ROOTFS_PATH"), "dir:" + rootfs_) << report;
  EXPECT_FALSE(Field(report, "LXC_ROOTFS_MOUNT").starts_with("(no")) << report;
  EXPECT_EQ(Field(report, "container"), "uxc") << report;
  EXPECT_FALSE(Field(report, "PATH").starts_with("(no")) << report;
  EXPECT_TRUE(Field(report, "HOME").starts_with("(no")) << report;
  std::string host = ReadOrEmpty(host_report);
  EXPECT_EQ(host.find(kSecret), std::string::npos) << host;
  EXPECT_EQ(Field(host, "HOME"), user_.home) << host;
  EXPECT_EQ(Field(host, "LXC_HOOK_TYPE"), "pre-start") << host;
  Stop();
}

// The attached command's environment is the container's; the user's
// variables reach it only when named (--keep-var) or all kept (--keep-env).
TEST_F(SecurityReachTest, AttachedCommandGetsNoSecretOfTheUser) {
  WriteConfig("");
  Start();
  auto clean = Uxc("attach", {kName, "--", "/bin/probe", "env", "-"});
  EXPECT_EQ(clean.exit_code, 0) << clean.err;
  EXPECT_EQ(clean.out.find(kSecret), std::string::npos) << clean.out;
  EXPECT_FALSE(Field(clean.out, "PATH").starts_with("(no")) << clean.out;
  auto kept = Uxc("attach", {kName, "--keep-var", "UXC_TEST_SECRET", "--", "/bin/probe", "env", "-"});
  EXPECT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_EQ(Field(kept.out, "UXC_TEST_SECRET"), kSecret) << kept.out;
  Stop();
}

// Item 1, attach: with stdin a pipe and the user's terminal as the
// controlling terminal (a real pty, from script(1)), the command must not
// reach that terminal: no /dev/tty, no TIOCSTI.
TEST_F(SecurityReachTest, AttachWithPipedStdinHasNoControllingTerminal) {
  WriteConfig("");
  Start();
  std::string line = "echo | " + bin_ + "/uxc attach -P " + path_ + " " + kName + " -- /bin/probe tty -";
  RunOptions options;
  options.env.emplace("UXC_TEST_SECRET", kSecret);
  auto attached = RunAs(user_, {"/usr/bin/script", "-qec", line, "/dev/null"}, options);
  EXPECT_EQ(attached.exit_code, 0) << attached.out << attached.err;
  EXPECT_EQ(Field(attached.out, "dev_tty"), "ENXIO") << attached.out;
  EXPECT_EQ(Field(attached.out, "own_session"), "1") << attached.out;
  // stdout and stderr are the pty, which is no longer the command's
  // controlling terminal: TIOCSTI needs that (tty_ioctl(4)).
  for (const char* fd : {"tiocsti_fd1", "tiocsti_fd2"}) {
    EXPECT_FALSE(Field(attached.out, fd).starts_with("(no")) << attached.out;
    EXPECT_NE(Field(attached.out, fd), "ok") << attached.out;
  }
  Stop();
}

// The user's session keyring holds a key; uxc runs in that session, and
// container code searches its session keyring for the key and reads it.
class SecurityKeyringTest : public SecurityReachTest {
 protected:
  // ARGV run as the user in a new session keyring that holds the secret key.
  CommandResult WithKey(std::vector<std::string> argv) {
    argv.insert(argv.begin(), {rootfs_ + "/bin/probe", "with-key", kSecret});
    return RunAs(user_, argv);
  }
};

// The control: outside any container the key is found and read, so the
// probe can tell.
TEST_F(SecurityKeyringTest, ProbeReadsTheKeyOnTheHost) {
  auto host = WithKey({rootfs_ + "/bin/probe", "keys", "-"});
  EXPECT_EQ(Field(host.out, "key_read"), kSecret) << host.out << host.err;
}

TEST_F(SecurityKeyringTest, AttachedCommandGetsNoKeyOfTheUser) {
  WriteConfig("");
  Start();
  auto attached = WithKey({bin_ + "/uxc", "attach", "-P", path_, kName, "--", "/bin/probe", "keys", "-"});
  EXPECT_EQ(attached.exit_code, 0) << attached.err;
  EXPECT_EQ(Field(attached.out, "key_search"), "ENOKEY") << attached.out;
  EXPECT_EQ(attached.out.find(kSecret), std::string::npos) << attached.out;
  Stop();
}

// A mount hook runs as container root before the init's settings apply,
// and may leave processes behind in the container.
TEST_F(SecurityKeyringTest, MountHookGetsNoKeyOfTheUser) {
  WriteConfig("lxc.hook.mount = " + rootfs_ + "/bin/probe keys " + rootfs_ + "/tmp/keys-mount\n");
  auto started = WithKey({bin_ + "/uxc", "start", "-P", path_, kName});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string report = ReadOrEmpty(rootfs_ + "/tmp/keys-mount");
  EXPECT_EQ(Field(report, "key_search"), "ENOKEY") << report;
  EXPECT_EQ(report.find(kSecret), std::string::npos) << report;
  Stop();
}

// lxc.keyring.session = 0 keeps the caller's keyring, as the user asked.
TEST_F(SecurityKeyringTest, KeyringSessionOffKeepsTheUsersKeys) {
  WriteConfig("lxc.keyring.session = 0\n");
  Start();
  auto attached = WithKey({bin_ + "/uxc", "attach", "-P", path_, kName, "--", "/bin/probe", "keys", "-"});
  EXPECT_EQ(Field(attached.out, "key_read"), kSecret) << attached.out << attached.err;
  Stop();
}

}  // namespace
}  // namespace uxc::testing

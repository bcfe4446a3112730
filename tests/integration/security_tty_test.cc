// Terminal injection (TIOCSTI; the CVE-2016-10124 and CVE-2017-5226 class),
// attacked for real: an unprivileged user on a real pty, whose login shell
// runs `uxc execute`, `uxc run`, `uxc start -F` or `uxc attach`, and a container whose
// payload pushes `id > FILE` into every terminal it can reach. Had it
// reached the user's terminal, the user's shell would read that line after
// uxc returns and run it on the host: the test lets a shell do exactly that
// and checks that FILE never appears.
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/lib/host.h"

namespace uxc::testing {
namespace {

constexpr uid_t kSubidStart = 720000;
constexpr int kDeadlineSeconds = 60;
const winsize kUserWindow = {33, 101, 0, 0};

std::string Shell(const std::string& command) {
  CommandResult result = Run({"/bin/sh", "-c", command});
  EXPECT_EQ(result.exit_code, 0) << command << "\n" << result.err;
  return result.out;
}

std::string Quote(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// The value of "key=..." in the probe's output.
std::string Field(const std::string& output, const std::string& key) {
  size_t at = output.find(key + "=");
  if (at == std::string::npos) return "(no " + key + ")";
  at += key.size() + 1;
  size_t end = output.find_first_of("\r\n", at);
  return output.substr(at, end - at);
}

std::string ProbePath() {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  self[n] = '\0';
  return std::string(self) + ".runfiles/uxc/tests/integration/tty_probe";
}

double Now() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

// A login session of the user on a new pty: the session's shell is the
// test's script, the test holds the terminal's other side and types.
class UserTerminal {
 public:
  UserTerminal(const HostUser& user, const std::string& script) {
    int peer = -1;
    winsize size = kUserWindow;
    if (openpty(&master_, &peer, nullptr, nullptr, &size) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      setsid();
      ioctl(peer, TIOCSCTTY, 0);
      for (int fd = 0; fd <= 2; ++fd) dup2(peer, fd);
      close_range(3, ~0U, 0);
      if (setgroups(0, nullptr) != 0 || setgid(user.gid) != 0 || setuid(user.uid) != 0) _exit(125);
      if (chdir(user.home.c_str()) != 0) _exit(125);
      std::string home = "HOME=" + user.home;
      char* env[] = {home.data(), const_cast<char*>("TERM=vt100"),
                     const_cast<char*>("PATH=/usr/bin:/bin"), const_cast<char*>("PS1=$ "), nullptr};
      char* argv[] = {const_cast<char*>("/bin/sh"), const_cast<char*>("-c"),
                      const_cast<char*>(script.c_str()), nullptr};
      execve("/bin/sh", argv, env);
      _exit(127);
    }
    close(peer);
  }
  ~UserTerminal() {
    if (pid_ > 0) Finish();
    if (master_ >= 0) close(master_);
  }
  bool started() const { return pid_ > 0; }

  // Reads what the terminal shows until `wanted` appears, at most the
  // deadline; false when it did not.
  bool ReadUntil(const std::string& wanted) {
    double deadline = Now() + kDeadlineSeconds;
    while (seen_.find(wanted) == std::string::npos) {
      if (Now() > deadline) return false;
      pollfd fd = {master_, POLLIN, 0};
      if (poll(&fd, 1, 500) <= 0) continue;
      char buffer[4096];
      ssize_t n = read(master_, buffer, sizeof buffer);
      if (n <= 0) return false;
      seen_.append(buffer, n);
    }
    return true;
  }

  void Type(const std::string& text) {
    EXPECT_EQ(write(master_, text.data(), text.size()), ssize_t(text.size()));
  }

  void Resize(winsize size) { EXPECT_EQ(ioctl(master_, TIOCSWINSZ, &size), 0); }

  // Waits for the session's shell to end (killed at the deadline); drains
  // the terminal meanwhile so that nothing blocks on a full pty.
  int Finish() {
    double deadline = Now() + kDeadlineSeconds;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) != pid_) {
      if (Now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      pollfd fd = {master_, POLLIN, 0};
      if (poll(&fd, 1, 100) > 0) {
        char buffer[4096];
        ssize_t n = read(master_, buffer, sizeof buffer);
        if (n > 0) seen_.append(buffer, n);
      }
    }
    pid_ = -1;
    return status;
  }

  const std::string& seen() const { return seen_; }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  std::string seen_;
};

enum class Command { kExecute, kRun, kStartForeground, kAttach };

struct Case {
  Command command;
  bool redirected;  // stdio of uxc not the terminal: </dev/null >OUT 2>&1
  const char* name;
};

void PrintTo(const Case& c, std::ostream* out) { *out << c.name; }

class TtyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = EnsureUser("uxct-tty");
    std::string range = user_.name + ":" + std::to_string(kSubidStart) + ":65536\n";
    subuid_ = std::make_unique<ScopedHostFile>("/etc/subuid", range);
    subgid_ = std::make_unique<ScopedHostFile>("/etc/subgid", range);
    char dir[] = "/var/tmp/uxc-tty.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr) << strerror(errno);
    dir_ = dir;
    ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
    rootfs_ = dir_ + "/rootfs";
    loot_ = dir_ + "/loot";
    Shell("mkdir -p " + Quote(loot_) + " && chown " + user_.name + " " + Quote(loot_));
    MakeRootfs();
  }

  void TearDown() override {
    if (!running_.empty()) {
      CommandResult stopped = RunAs(user_, {InstalledBinary("uxc"), "stop", "-P", running_, "c1", "-k"});
      EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
    }
    Shell("rm -rf " + Quote(dir_));
  }

  void MakeRootfs() {
    std::string probe = ProbePath();
    ASSERT_EQ(access(probe.c_str(), X_OK), 0) << probe << ": " << strerror(errno);
    Shell("mkdir -p " + Quote(rootfs_) + "/bin " + Quote(rootfs_) + "/proc " + Quote(rootfs_) +
          "/sys " + Quote(rootfs_) + "/dev " + Quote(rootfs_) + "/tmp");
    Shell("cp /bin/busybox " + Quote(rootfs_ + "/bin/busybox") + " && ln -sf busybox " +
          Quote(rootfs_ + "/bin/sh"));
    Shell("cp " + Quote(probe) + " " + Quote(rootfs_ + "/bin/probe") + " && chmod -R a+rX " +
          Quote(rootfs_));
  }

  // The container c1 under DIR/containers, whose lxc.init.cmd is `init`.
  std::string MakeContainer(const std::string& init) {
    std::string containers = dir_ + "/containers";
    Shell("mkdir -p " + Quote(containers + "/c1"));
    std::ofstream(containers + "/c1/config") << "lxc.rootfs.path = dir:" << rootfs_ << "\n"
                                             << "lxc.mount.auto = proc:mixed sys:mixed\n"
                                             << "lxc.init.cmd = " << init << "\n";
    Shell("chown -R " + user_.name + " " + Quote(containers));
    return containers;
  }

  // Starts c1 (detached, an init that sleeps; `init` when given) for
  // `uxc attach`; TearDown stops it. Returns the container path.
  std::string StartForAttach(const std::string& init = "/bin/busybox sleep 600") {
    std::string containers = MakeContainer(init);
    CommandResult started = RunAs(user_, {InstalledBinary("uxc"), "start", "-P", containers, "c1"});
    EXPECT_EQ(started.exit_code, 0) << started.err;
    running_ = containers;
    return containers;
  }

  // The uxc command line that runs `payload` (argv words) for the case.
  std::string UxcCommand(Command command, const std::string& payload,
                         const std::string& settings = "") {
    std::string uxc = Quote(InstalledBinary("uxc"));
    switch (command) {
      case Command::kExecute:
        return uxc + " execute -P " + Quote(MakeContainer("/bin/true")) + settings + " c1 -- " +
               payload;
      case Command::kRun:
        return uxc + " run --rootfs " + Quote(rootfs_) + settings + " -- " + payload;
      case Command::kStartForeground:
        return uxc + " start -P " + Quote(MakeContainer(payload)) + settings + " -F c1";
      case Command::kAttach:
        return uxc + " attach -P " + Quote(StartForAttach()) + settings + " c1 -- " + payload;
    }
    return "";
  }

  // The session's script: uxc, then what the user would do next at the
  // prompt: a shell that reads the terminal and runs what it reads.
  std::string SessionScript(const std::string& uxc, bool redirected) {
    return SessionScriptWith(
        uxc, redirected ? " </dev/null >" + Quote(loot_ + "/uxc.out") + " 2>&1" : "");
  }
  std::string SessionScriptWith(const std::string& uxc, const std::string& redirections) {
    return "before=$(stty -g); " + uxc + redirections +
           "; status=$?; after=$(stty -g); [ \"$before\" = \"$after\" ] && t=same || t=changed; "
           "echo \"UXC-DONE status=$status termios=$t\"; exec /bin/sh -i";
  }

  // Runs the session: waits until uxc returned, lets the shell read on,
  // then ends it with `exit` (which the shell reads after anything injected).
  std::string RunSession(const std::string& script) {
    UserTerminal terminal(user_, script);
    EXPECT_TRUE(terminal.started());
    bool done = terminal.ReadUntil("UXC-DONE");
    EXPECT_TRUE(done) << terminal.seen();
    terminal.Type("echo SESSION-END\n");
    terminal.Type("exit\n");
    EXPECT_TRUE(terminal.ReadUntil("SESSION-END")) << terminal.seen();
    terminal.Finish();
    return terminal.seen();
  }

  bool Injected() const { return access((loot_ + "/injected").c_str(), F_OK) == 0; }

  // Runs the probe's echo through `command` at the user's terminal: types a
  // line after resizing the terminal, and checks what the probe saw.
  void ExpectRelayedAndRestored(Command command) {
    UserTerminal terminal(user_, SessionScript(UxcCommand(command, "/bin/probe echo"), false));
    ASSERT_TRUE(terminal.started());
    ASSERT_TRUE(terminal.ReadUntil("ready")) << terminal.seen();
    terminal.Resize({40, 120, 0, 0});
    terminal.Type("hello\r");
    EXPECT_TRUE(terminal.ReadUntil("UXC-DONE")) << terminal.seen();
    terminal.Type("exit\n");
    terminal.Finish();
    const std::string& seen = terminal.seen();
    EXPECT_EQ(Field(seen, "got"), "hello") << seen;
    EXPECT_EQ(Field(seen, "winsize"), "40x120") << seen;
    EXPECT_EQ(Field(seen, "ctty"), "fd0") << seen;
    EXPECT_EQ(Field(seen, "fd0_on_container_devpts"), "yes") << seen;
    EXPECT_NE(seen.find("UXC-DONE status=7 termios=same"), std::string::npos) << seen;
  }

  HostUser user_;
  std::string dir_, rootfs_, loot_;
  std::string running_;  // the path of a started c1
  std::unique_ptr<ScopedHostFile> subuid_, subgid_;
};

class TtyInjectionTest : public TtyTest, public ::testing::WithParamInterface<Case> {};

TEST_P(TtyInjectionTest, PayloadCannotPushInputIntoTheUsersTerminal) {
  const Case& c = GetParam();
  std::string payload = "/bin/probe inject " + loot_ + "/injected";
  std::string seen = RunSession(SessionScript(UxcCommand(c.command, payload), c.redirected));
  std::string probe = c.redirected ? ReadFileOrDie(loot_ + "/uxc.out") : seen;

  EXPECT_FALSE(Injected()) << "the container's input ran on the host as the user:\n"
                           << ReadFileOrDie(loot_ + "/injected") << "\n"
                           << seen;
  EXPECT_NE(probe.find("probe-done"), std::string::npos) << probe << seen;
  EXPECT_NE(seen.find("UXC-DONE status=0 termios=same"), std::string::npos) << seen;
  if (c.command == Command::kStartForeground) {
    // A system container's init has the console on stdio, as LXC's: a pty
    // of the container's devpts, relayed to the user's terminal and sized
    // as it; no controlling terminal. Nothing pushes input into it either.
    EXPECT_EQ(Field(probe, "open_dev_tty"), "ENXIO") << probe;
    EXPECT_EQ(Field(probe, "ctty"), "none") << probe;
    EXPECT_EQ(Field(probe, "fd0_on_container_devpts"), "yes") << probe;
    if (!c.redirected) {
      EXPECT_EQ(Field(probe, "winsize"), "33x101") << probe;
    }
    for (const char* key : {"tiocsti_fd0", "tiocsti_fd1", "tiocsti_fd2"}) {
      EXPECT_EQ(Field(probe, key), "EPERM") << key << "\n" << probe;
    }
  } else if (c.redirected) {
    // No terminal at all: no controlling one, none on stdio.
    EXPECT_EQ(Field(probe, "open_dev_tty"), "ENXIO") << probe;
    EXPECT_EQ(Field(probe, "ctty"), "none") << probe;
    EXPECT_EQ(Field(probe, "tiocsti_fd0"), "EPERM") << probe;  // seccomp answers before ENOTTY
  } else {
    // Its own pty, from the container's devpts, as stdio and controlling
    // terminal; TIOCSTI refused even there (seccomp), also with high bits.
    EXPECT_EQ(Field(probe, "open_dev_tty"), "ok") << probe;
    EXPECT_EQ(Field(probe, "ttyname0").rfind("/dev/pts/", 0), 0u) << probe;
    EXPECT_EQ(Field(probe, "fd0_on_container_devpts"), "yes") << probe;
    EXPECT_EQ(Field(probe, "ctty"), "fd0") << probe;
    EXPECT_EQ(Field(probe, "winsize"), "33x101") << probe;
    EXPECT_EQ(Field(probe, "reopen_by_name"), "ok") << probe;
    for (const char* key : {"tiocsti_dev_tty", "tiocsti_dev_tty_high", "tioclinux_dev_tty",
                            "tiocsti_fd0", "tiocsti_fd1", "tiocsti_fd2"}) {
      EXPECT_EQ(Field(probe, key), "EPERM") << key << "\n" << probe;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Commands, TtyInjectionTest,
    ::testing::Values(Case{Command::kExecute, false, "Execute"},
                      Case{Command::kExecute, true, "ExecuteRedirected"},
                      Case{Command::kRun, false, "Run"}, Case{Command::kRun, true, "RunRedirected"},
                      Case{Command::kStartForeground, false, "StartForeground"},
                      Case{Command::kStartForeground, true, "StartForegroundRedirected"},
                      Case{Command::kAttach, false, "Attach"},
                      Case{Command::kAttach, true, "AttachRedirected"}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

// A config's own seccomp profile, even one that denies nothing, still
// refuses TIOCSTI: uxc adds the rule to every profile.
TEST_F(TtyTest, OwnProfileStillRefusesTiocsti) {
  std::string profile = dir_ + "/nothing.seccomp";
  std::ofstream(profile) << "2\ndenylist\n";
  chmod(profile.c_str(), 0644);
  std::string uxc = UxcCommand(Command::kRun, "/bin/probe inject " + loot_ + "/injected",
                               " -s lxc.seccomp.profile=" + profile);
  std::string seen = RunSession(SessionScript(uxc, false));
  EXPECT_FALSE(Injected()) << seen;
  EXPECT_EQ(Field(seen, "tiocsti_dev_tty"), "EPERM") << seen;
  EXPECT_EQ(Field(seen, "tiocsti_fd0"), "EPERM") << seen;
  EXPECT_EQ(Field(seen, "fd0_on_container_devpts"), "yes") << seen;
}

// Only stdin redirected: stdout and stderr are still the user's terminal,
// passed as they are, but neither is the payload's controlling terminal,
// nor can it become one (it is the user's session's).
TEST_F(TtyTest, StdinNotATerminalStillNoControllingTerminal) {
  std::string uxc = UxcCommand(Command::kRun, "/bin/probe inject " + loot_ + "/injected");
  std::string seen = RunSession(SessionScriptWith(uxc, " </dev/null"));
  EXPECT_FALSE(Injected()) << seen;
  EXPECT_EQ(Field(seen, "open_dev_tty"), "ENXIO") << seen;
  EXPECT_EQ(Field(seen, "ctty"), "none") << seen;
  EXPECT_EQ(Field(seen, "tiocsti_fd1"), "EPERM") << seen;
  EXPECT_NE(seen.find("UXC-DONE status=0 termios=same"), std::string::npos) << seen;
}

// stdin a terminal, stdout a file: the pty replaces stdin and stderr only;
// the file gets the payload's output as written (no pty's \r\n).
TEST_F(TtyTest, StdoutToAFileStaysAFile) {
  std::string out = loot_ + "/uxc.out";
  std::string uxc = UxcCommand(Command::kRun, "/bin/probe inject " + loot_ + "/injected");
  std::string seen = RunSession(SessionScriptWith(uxc, " >" + Quote(out)));
  std::string probe = ReadFileOrDie(out);
  EXPECT_FALSE(Injected()) << seen;
  EXPECT_EQ(Field(probe, "ctty"), "fd0") << probe;
  EXPECT_EQ(Field(probe, "fd0_on_container_devpts"), "yes") << probe;
  EXPECT_EQ(Field(probe, "tiocsti_fd1"), "EPERM") << probe;
  EXPECT_EQ(probe.find('\r'), std::string::npos) << probe;
  EXPECT_NE(seen.find("UXC-DONE status=0 termios=same"), std::string::npos) << seen;
}

// The relay: what the user types reaches the payload, a resize of the
// user's terminal reaches the container's pty, the payload's exit status
// is uxc's, and the user's terminal mode is back as it was.
TEST_F(TtyTest, TerminalIsRelayedAndRestored) { ExpectRelayedAndRestored(Command::kRun); }

// ^C typed at the user's terminal (raw while uxc relays) reaches the
// container's pty, whose line discipline sends SIGINT to the payload.
TEST_F(TtyTest, CtrlCInterruptsThePayloadThroughItsPty) {
  std::string payload = "/bin/sh -c 'echo started; exec /bin/busybox sleep 100'";
  UserTerminal terminal(user_, SessionScript(UxcCommand(Command::kRun, payload), false));
  ASSERT_TRUE(terminal.started());
  ASSERT_TRUE(terminal.ReadUntil("started")) << terminal.seen();
  terminal.Type("\x03");
  EXPECT_TRUE(terminal.ReadUntil("UXC-DONE")) << terminal.seen();
  terminal.Type("exit\n");
  terminal.Finish();
  EXPECT_NE(terminal.seen().find("UXC-DONE status=130 termios=same"), std::string::npos)
      << terminal.seen();
}

// The container is in a session of its own from the start, so ^C no longer
// reaches a hook that hangs while it is set up; uxc, which gets it, ends
// the start. (The session's shell traps SIGINT to outlive it; a trap,
// unlike an ignored signal, is not inherited by uxc.)
TEST_F(TtyTest, CtrlCEndsAStartWhoseHookHangs) {
  std::string uxc =
      UxcCommand(Command::kRun, "/bin/true",
                 " -s " + Quote("lxc.hook.mount=/bin/sh -c 'echo hook-runs >&2; exec sleep 600'"));
  UserTerminal terminal(user_, "trap : INT; " + SessionScript(uxc, false));
  ASSERT_TRUE(terminal.started());
  ASSERT_TRUE(terminal.ReadUntil("hook-runs")) << terminal.seen();
  terminal.Type("\x03");
  EXPECT_TRUE(terminal.ReadUntil("UXC-DONE")) << terminal.seen();
  terminal.Type("exit\n");
  terminal.Finish();
  EXPECT_NE(terminal.seen().find("interrupted by SIGINT while setting up the container"),
            std::string::npos)
      << terminal.seen();
  EXPECT_NE(terminal.seen().find("UXC-DONE status=1 termios=same"), std::string::npos)
      << terminal.seen();
}

// uxc attach relays its command's pty as uxc run does, window size included.
TEST_F(TtyTest, AttachRelaysTheTerminalAndItsResizes) { ExpectRelayedAndRestored(Command::kAttach); }

// What the user's terminal holds in canonical mode when uxc takes it, here a
// line and an end of file (script(1) sends one at the end of its input),
// reaches the command as typed: the end of file as its pty's, never as the
// NUL byte a raw read of it returns.
TEST_F(TtyTest, AttachPassesAnEndOfFileTypedAheadAsTheCommandsOwn) {
  std::string uxc = UxcCommand(
      Command::kAttach, "/bin/sh -c " + Quote("/bin/busybox tty; /bin/busybox cat; echo CAT-ENDED"));
  UserTerminal terminal(user_, "echo TYPE-NOW; read -r line; " + SessionScript(uxc, false));
  ASSERT_TRUE(terminal.started());
  ASSERT_TRUE(terminal.ReadUntil("TYPE-NOW\r\n")) << terminal.seen();
  // One write: the shell's read takes the line, the end of file stays queued.
  terminal.Type("go\n\x04");
  EXPECT_TRUE(terminal.ReadUntil("UXC-DONE")) << terminal.seen();
  terminal.Type("exit\n");
  terminal.Finish();
  const std::string& seen = terminal.seen();
  EXPECT_NE(seen.find("\n/dev/pts/"), std::string::npos) << seen;
  EXPECT_EQ(seen.find('\0'), std::string::npos) << seen;
  EXPECT_EQ(seen.find("^@"), std::string::npos) << seen;
  EXPECT_NE(seen.find("CAT-ENDED"), std::string::npos) << seen;
  EXPECT_NE(seen.find("UXC-DONE status=0 termios=same"), std::string::npos) << seen;
}

// Attached as another user, the command's pty is that user's, as login
// makes it: `tty` names it, and it opens again by that name (su, script and
// tmux do so).
TEST_F(TtyTest, AttachAsAUserGivesThemThePty) {
  std::string uxc = UxcCommand(Command::kAttach,
                               "/bin/sh -c " + Quote("/bin/busybox tty; exec /bin/probe inject " + loot_ +
                                                     "/injected"),
                               " -u 1000 -g 1000");
  std::string seen = RunSession(SessionScript(uxc, false));
  EXPECT_FALSE(Injected()) << seen;
  EXPECT_NE(seen.find("\n/dev/pts/"), std::string::npos) << "busybox tty:\n" << seen;
  EXPECT_EQ(Field(seen, "ttyname0").rfind("/dev/pts/", 0), 0u) << seen;
  EXPECT_EQ(Field(seen, "fd0_owner"), "1000") << seen;
  EXPECT_EQ(Field(seen, "reopen_by_name"), "ok") << seen;
  EXPECT_EQ(Field(seen, "ctty"), "fd0") << seen;
  EXPECT_EQ(Field(seen, "tiocsti_fd0"), "EPERM") << seen;
  EXPECT_NE(seen.find("UXC-DONE status=0 termios=same"), std::string::npos) << seen;
}

// Container root covers its devpts's ptmx with a file of its own: attach
// opens only the ptmx of the devpts on /dev/pts, nothing mounted over it
// (RESOLVE_NO_XDEV), and says why it cannot make the pty.
TEST_F(TtyTest, AttachOpensNoPtmxTheContainerCovered) {
  std::ofstream(rootfs_ + "/bin/cover-ptmx")
      << "#!/bin/sh\n/bin/busybox touch /dev/fake-ptmx\n"
         "/bin/busybox mount -o bind /dev/fake-ptmx /dev/pts/ptmx || exit 9\n"
         "exec /bin/busybox sleep 600\n";
  ASSERT_EQ(chmod((rootfs_ + "/bin/cover-ptmx").c_str(), 0755), 0);
  std::string containers = StartForAttach("/bin/cover-ptmx");
  std::string uxc = Quote(InstalledBinary("uxc")) + " attach -P " + Quote(containers) +
                    " c1 -- /bin/probe inject " + loot_ + "/injected";
  // The init covers ptmx as its first step; an attach without a terminal
  // sees when it has.
  bool covered = false;
  CommandResult mounts;
  for (int attempt = 0; attempt < 100 && !covered; ++attempt) {
    mounts = RunAs(user_, {InstalledBinary("uxc"), "attach", "-P", containers, "c1", "--", "/bin/busybox",
                           "grep", "-c", "/dev/pts/ptmx", "/proc/mounts"});
    covered = mounts.exit_code == 0 && mounts.out == "1\n";
    if (!covered) usleep(100 * 1000);
  }
  ASSERT_TRUE(covered) << "the init did not cover /dev/pts/ptmx: " << mounts.out << mounts.err;
  std::string seen = RunSession(SessionScript(uxc, false));
  EXPECT_FALSE(Injected()) << seen;
  EXPECT_NE(seen.find("open /dev/pts/ptmx for the attached command: Invalid cross-device link"),
            std::string::npos)
      << seen;
  EXPECT_EQ(seen.find("probe-done"), std::string::npos) << seen;
  EXPECT_NE(seen.find("UXC-DONE status=1 termios=same"), std::string::npos) << seen;
}

}  // namespace
}  // namespace uxc::testing

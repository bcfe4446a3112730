// uxc console through a real pty, as a user at a terminal would use it.
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

class ConsoleTest : public LifecycleTest {
 protected:
  // Runs `uxc console ARGS` as the user on a new pty; returns the pid.
  pid_t SpawnConsole(const std::vector<std::string>& args) { return SpawnOnPty("console", args); }

  pid_t SpawnOnPty(const std::string& command, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {InstalledBinary("uxc"), command, "-P", path_};
    argv.insert(argv.end(), args.begin(), args.end());
    return SpawnArgvOnPty(argv);
  }

  // Runs `argv` as the user, the session leader of a new pty whose other
  // side the test holds; returns the pid.
  pid_t SpawnArgvOnPty(std::vector<std::string> argv) {
    int slave = -1;
    winsize size = {30, 100, 0, 0};
    if (openpty(&master_, &slave, nullptr, nullptr, &size) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
      setsid();
      ioctl(slave, TIOCSCTTY, 0);
      for (int fd = 0; fd <= 2; ++fd) dup2(slave, fd);
      close(master_);
      if (setgroups(0, nullptr) != 0 || setgid(user_.gid) != 0 || setuid(user_.uid) != 0) _exit(125);
      std::vector<char*> pointers;
      for (std::string& word : argv) pointers.push_back(word.data());
      pointers.push_back(nullptr);
      std::string home = "HOME=" + user_.home;
      char* env[] = {home.data(), const_cast<char*>("TERM=vt100"), const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
      execve(pointers[0], pointers.data(), env);
      _exit(127);
    }
    close(slave);
    return pid;
  }

  // Reads from the pty until `wanted` appears (at most 30 s).
  bool ReadUntil(const std::string& wanted) {
    timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
      if (seen_.find(wanted) != std::string::npos) return true;
      clock_gettime(CLOCK_MONOTONIC, &now);
      if (now.tv_sec - start.tv_sec > 30) return false;
      pollfd fd = {master_, POLLIN, 0};
      if (poll(&fd, 1, 500) <= 0) continue;
      char buffer[1024];
      ssize_t n = read(master_, buffer, sizeof buffer);
      if (n <= 0) return false;
      seen_.append(buffer, n);
      // busybox ash asks the terminal where the cursor is (ESC [ 6 n) and
      // waits for the answer, as a terminal emulator would give it.
      if (std::string(buffer, n).find("\x1b[6n") != std::string::npos) Type("\x1b[1;1R");
    }
  }

  // waitpid, bounded: a console that does not detach is killed (and the
  // status shows the SIGKILL) rather than hanging the test.
  int WaitBounded(pid_t pid) {
    int status = 0;
    for (int i = 0; i < 300; ++i) {
      if (waitpid(pid, &status, WNOHANG) == pid) return status;
      usleep(100 * 1000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return status;
  }

  void Type(const std::string& text) { EXPECT_EQ(write(master_, text.data(), text.size()), ssize_t(text.size())); }

  int master_ = -1;
  std::string seen_;
};

TEST_F(ConsoleTest, ConsoleRunsTheGettysShellAndCtrlAQDetaches) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  pid_t console = SpawnConsole({name_});
  ASSERT_GT(console, 0);
  EXPECT_TRUE(ReadUntil("Type <Ctrl+a q> to exit the console")) << seen_;
  Type("\r");
  EXPECT_TRUE(ReadUntil("/ # ")) << seen_;
  Type("echo hello-$((6*7))\r");
  EXPECT_TRUE(ReadUntil("hello-42")) << seen_;
  Type("\x01q");
  int status = WaitBounded(console);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  close(master_);

  // The console can be taken again after a detach; a second one at once is refused.
  seen_.clear();
  console = SpawnConsole({name_, "-e", "b"});
  EXPECT_TRUE(ReadUntil("Type <Ctrl+b q>")) << seen_;
  auto busy = Uxc("console", {name_});
  EXPECT_EQ(busy.exit_code, 1);
  EXPECT_NE(busy.err.find("another `uxc console` is attached"), std::string::npos) << busy.err;
  Type("\x02q");
  status = WaitBounded(console);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  close(master_);

  ASSERT_EQ(Uxc("stop", {name_}).exit_code, 0);
  ExpectNothingLeft(name_);
}

TEST_F(ConsoleTest, AttachGivesTheCommandAPtyWhenStdinIsATerminal) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  pid_t attach = SpawnOnPty("attach", {name_, "--", "sh", "-c", "[ -t 0 ] && [ -t 1 ] && echo on-a-pty; exit 3"});
  ASSERT_GT(attach, 0);
  EXPECT_TRUE(ReadUntil("on-a-pty")) << seen_;
  int status = WaitBounded(attach);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3) << status;
  close(master_);
  // Without a terminal, no pty: the command's stdin is the pipe it was given.
  auto piped = Uxc("attach", {name_, "--", "sh", "-c", "[ -t 0 ] || echo no-pty"});
  EXPECT_EQ(piped.out, "no-pty\n") << piped.err;
  ASSERT_EQ(Uxc("stop", {name_}).exit_code, 0);
  ExpectNothingLeft(name_);
}

// uxc start -F as lxc-start -F: the user's terminal is the console, raw,
// so keys, ^C and ^\ reach the getty's shell; the container is RUNNING for
// ls, info and attach, `uxc stop` from another shell ends it, and the
// foreground start then exits 0 with the terminal as it was.
TEST_F(ConsoleTest, StartForegroundIsTheConsoleAndStopsFromAnotherShell) {
  std::string uxc = InstalledBinary("uxc");
  std::string script = "before=$(stty -g); " + uxc + " start -P " + path_ + " -F " + name_ +
                       "; status=$?; after=$(stty -g); [ \"$before\" = \"$after\" ] && t=same || t=changed; "
                       "echo \"UXC-DONE status=$status termios=$t\"";
  pid_t session = SpawnArgvOnPty({"/bin/sh", "-c", script});
  ASSERT_GT(session, 0);
  ASSERT_TRUE(ReadUntil("/ # ")) << seen_;
  Type("echo typed-$((6*7))\r");
  EXPECT_TRUE(ReadUntil("typed-42")) << seen_;
  // The window size is the user's terminal's.
  Type("stty size\r");
  EXPECT_TRUE(ReadUntil("30 100")) << seen_;

  EXPECT_EQ(LsState(name_), "RUNNING");
  auto pid = Uxc("info", {name_, "-p"});
  EXPECT_NE(pid.out.find(std::to_string(InitPid(name_))), std::string::npos) << pid.out << pid.err;
  ExpectInitIsPid1(name_);
  auto console = Uxc("console", {name_});
  EXPECT_EQ(console.exit_code, 1);
  EXPECT_NE(console.err.find("the console is on the terminal of `uxc start -F`"), std::string::npos) << console.err;
  auto reboot = Uxc("stop", {name_, "-r"});
  EXPECT_EQ(reboot.exit_code, 1);
  EXPECT_NE(reboot.err.find("does not restart it"), std::string::npos) << reboot.err;

  // ^C and ^\ reach the shell's foreground job through the console's line
  // discipline.
  for (const auto& [key, status] : {std::pair{"\x03", "130"}, std::pair{"\x1c", "131"}}) {
    Type("sleep 100\r");
    bool sleeping = false;
    for (int i = 0; i < 100 && !sleeping; ++i) {
      sleeping = Uxc("attach", {name_, "--", "ps"}).out.find("sleep 100") != std::string::npos;
      if (!sleeping) usleep(100 * 1000);
    }
    ASSERT_TRUE(sleeping) << seen_;
    Type(key);
    Type(std::string("echo after-$?-") + status + "\r");
    EXPECT_TRUE(ReadUntil(std::string("after-") + status + "-" + status)) << seen_;
  }

  auto stopped = Uxc("stop", {name_, "-t", "30"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_TRUE(ReadUntil("UXC-DONE status=0 termios=same")) << seen_;
  int status = WaitBounded(session);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  close(master_);
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

}  // namespace
}  // namespace uxc::testing

// uxc's logs: `uxc start -l LEVEL -o FILE` (lxc.log.level, lxc.log.file)
// writes the start's steps to FILE, and lxc.console.logfile keeps what the
// container wrote to its console.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class LoggingTest : public LifecycleTest {
 protected:
  std::string Read(const std::string& path) {
    struct stat st;
    return stat(path.c_str(), &st) == 0 ? ReadFileOrDie(path) : "(no " + path + ")";
  }

  // Every line of `log` has the form "uxc NAME STAMP LEVEL CATEGORY - MESSAGE".
  void ExpectWellFormed(const std::string& log) {
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::string tool, name, stamp, level, category, dash;
      fields >> tool >> name >> stamp >> level >> category >> dash;
      EXPECT_EQ(tool, "uxc") << line;
      EXPECT_EQ(name, name_) << line;
      EXPECT_EQ(stamp.size(), 18u) << line;  // YYYYMMDDhhmmss.mmm
      EXPECT_EQ(dash, "-") << line;
    }
  }

  void StopAndCheck() {
    auto stopped = Uxc("stop", {name_, "-k"});
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
    ExpectNothingLeft(name_);
  }
};

TEST_F(LoggingTest, StartAtDebugLogsEachStep) {
  std::string log = path_ + "/bb.log";
  auto started = Uxc("start", {name_, "-l", "DEBUG", "-o", log});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string text = Read(log);
  EXPECT_TRUE(Contains(text, " INFO start - starting with namespaces user mnt pid")) << text;
  EXPECT_TRUE(Contains(text, " DEBUG start - cloned the init: pid " + std::to_string(InitPid(name_)) + "\n"))
      << text;
  EXPECT_TRUE(Contains(text, " DEBUG idmap - uid map 0 600000 65536; gid map 0 600000 65536\n")) << text;
  EXPECT_TRUE(Contains(text, " DEBUG start - the init set up the container")) << text;
  EXPECT_TRUE(Contains(text, " INFO start - the container runs: /sbin/init is its pid 1\n")) << text;
  ExpectWellFormed(text);
  struct stat st;
  ASSERT_EQ(stat(log.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, user_.uid);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  StopAndCheck();
}

TEST_F(LoggingTest, TheLevelFiltersAndTheConfigKeysWorkAsTheOptions) {
  std::string log = path_ + "/bb-info.log";
  auto started = Uxc("start", {name_, "-s", "lxc.log.file=" + log, "-s", "lxc.log.level=INFO"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string text = Read(log);
  EXPECT_TRUE(Contains(text, " INFO start - the container runs: /sbin/init")) << text;
  EXPECT_FALSE(Contains(text, " DEBUG ")) << text;
  StopAndCheck();
}

TEST_F(LoggingTest, AFailedStartLogsItsError) {
  std::string log = path_ + "/bb-error.log";
  auto started = Uxc("start", {name_, "-o", log, "-s", "lxc.init.cmd=/no/such/init"});
  EXPECT_EQ(started.exit_code, 1);
  EXPECT_TRUE(Contains(started.err, "/no/such/init")) << started.err;
  // At the default level, ERROR, only the failure is logged.
  std::string text = Read(log);
  EXPECT_TRUE(Contains(text, " ERROR start - the start failed: ")) << text;
  EXPECT_TRUE(Contains(text, "/no/such/init")) << text;
  EXPECT_FALSE(Contains(text, " INFO ")) << text;
  EXPECT_EQ(LsState(name_), "STOPPED");
  ExpectNothingLeft(name_);
}

TEST_F(LoggingTest, ExecuteLogsTheInitsExit) {
  std::string log = path_ + "/bb-execute.log";
  auto ran = Uxc("execute", {name_, "-s", "lxc.log.file=" + log, "-s", "lxc.log.level=info", "--", "sh", "-c",
                             "exit 3"});
  EXPECT_EQ(ran.exit_code, 3) << ran.err;
  std::string text = Read(log);
  EXPECT_TRUE(Contains(text, " INFO start - the container runs: sh -c exit 3 under uxc's pid 1\n")) << text;
  EXPECT_TRUE(Contains(text, " INFO stop - the init exited with status 3\n")) << text;
  ExpectNothingLeft(name_);
}

TEST_F(LoggingTest, ConsoleLogfileKeepsTheConsoleOutput) {
  std::string console_log = path_ + "/bb-console.log";
  auto started = Uxc("start", {name_, "-s", "lxc.console.logfile=" + console_log});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  // The console's shell flushes the tty as it starts, and with it what was
  // written before it: wait for its prompt.
  for (int i = 0; i < 300 && !Contains(Read(console_log), "built-in shell"); ++i) usleep(100 * 1000);
  auto wrote = Uxc("attach", {name_, "--", "sh", "-c", "echo marker-on-the-console > /dev/console"});
  ASSERT_EQ(wrote.exit_code, 0) << wrote.err;
  // The monitor copies the console as it reads it; the stop drains the rest.
  auto stopped = Uxc("stop", {name_, "-t", "30"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectNothingLeft(name_);
  std::string text = Read(console_log);
  EXPECT_TRUE(Contains(text, "marker-on-the-console")) << text;
  struct stat st;
  ASSERT_EQ(stat(console_log.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, user_.uid);
}

// lxc.console.size with lxc.console.rotate = 1: once the log would pass the
// size, it moves to FILE.1 and a new FILE starts.
TEST_F(LoggingTest, ConsoleSizeRotatesTheLog) {
  std::string console_log = path_ + "/bb-console-rotated.log";
  auto started = Uxc("start", {name_, "-s", "lxc.console.logfile=" + console_log, "-s", "lxc.console.size=4096",
                               "-s", "lxc.console.rotate=1"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  for (int i = 0; i < 300 && !Contains(Read(console_log), "built-in shell"); ++i) usleep(100 * 1000);
  // About 12 KiB, then the last line.
  auto wrote = Uxc("attach", {name_, "--", "sh", "-c",
                              "i=0; while [ $i -lt 200 ]; do echo \"line $i of the console flood, sixty bytes "
                              "long....\"; i=$((i+1)); done > /dev/console; echo last-line-on-the-console > "
                              "/dev/console"});
  ASSERT_EQ(wrote.exit_code, 0) << wrote.err;
  auto stopped = Uxc("stop", {name_, "-t", "30"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectNothingLeft(name_);
  struct stat current, rotated;
  ASSERT_EQ(stat(console_log.c_str(), &current), 0);
  ASSERT_EQ(stat((console_log + ".1").c_str(), &rotated), 0) << Read(console_log);
  EXPECT_LE(current.st_size, 4096);
  EXPECT_GT(rotated.st_size, 0);
  EXPECT_LE(rotated.st_size, 4096);
  EXPECT_EQ(current.st_uid, user_.uid);
  EXPECT_EQ(current.st_mode & 0777, 0600u);
  // The init's own shutdown lines follow it on the console (its stdio is the
  // console), and may have pushed it into the rotated file.
  std::string newest = Read(console_log + ".1") + Read(console_log);
  EXPECT_TRUE(Contains(newest, "last-line-on-the-console")) << newest;
}

TEST_F(LoggingTest, ConsoleLogfileInTheForegroundToo) {
  std::string console_log = path_ + "/bb-console-F.log";
  CommandResult foreground;
  std::thread launcher([&] {
    RunOptions options;
    options.timeout_seconds = 120;
    foreground = Uxc("start", {name_, "-F", "-s", "lxc.console.logfile=" + console_log}, options);
  });
  bool running = false;
  for (int i = 0; i < 60 && !running; ++i) {
    running = LsState(name_) == "RUNNING";
    if (!running) usleep(500 * 1000);
  }
  EXPECT_TRUE(running);
  for (int i = 0; i < 300 && !Contains(Read(console_log), "built-in shell"); ++i) usleep(100 * 1000);
  auto wrote = Uxc("attach", {name_, "--", "sh", "-c", "echo marker-in-the-foreground > /dev/console"});
  EXPECT_EQ(wrote.exit_code, 0) << wrote.err;
  for (int i = 0; i < 300 && !Contains(Read(console_log), "last-line-in-the-foreground"); ++i) usleep(100 * 1000);
  // Killed rather than halted: the guest's shutdown messages would fill the
  // log again past its size, and the size truncates it then (as LXC's does).
  pid_t init = running ? InitPid(name_) : 0;
  if (init > 0) kill(init, SIGKILL);
  launcher.join();
  EXPECT_TRUE(Contains(foreground.out, "marker-in-the-foreground")) << foreground.out;
  EXPECT_TRUE(Contains(Read(console_log), "marker-in-the-foreground")) << Read(console_log);
  ExpectNothingLeft(name_);
}

// In the foreground with lxc.console.rotate = 0: a full log is truncated
// and goes on, and no FILE.1 appears.
TEST_F(LoggingTest, ConsoleSizeTruncatesTheForegroundLog) {
  std::string console_log = path_ + "/bb-console-F-truncated.log";
  CommandResult foreground;
  std::thread launcher([&] {
    RunOptions options;
    options.timeout_seconds = 120;
    foreground = Uxc("start", {name_, "-F", "-s", "lxc.console.logfile=" + console_log, "-s",
                               "lxc.console.size=4096", "-s", "lxc.console.rotate=0"},
                     options);
  });
  bool running = false;
  for (int i = 0; i < 60 && !running; ++i) {
    running = LsState(name_) == "RUNNING";
    if (!running) usleep(500 * 1000);
  }
  EXPECT_TRUE(running);
  for (int i = 0; i < 300 && !Contains(Read(console_log), "built-in shell"); ++i) usleep(100 * 1000);
  auto wrote = Uxc("attach", {name_, "--", "sh", "-c",
                              "i=0; while [ $i -lt 200 ]; do echo \"line $i of the console flood, sixty bytes "
                              "long....\"; i=$((i+1)); done > /dev/console; echo last-line-in-the-foreground > "
                              "/dev/console"});
  EXPECT_EQ(wrote.exit_code, 0) << wrote.err;
  for (int i = 0; i < 300 && !Contains(Read(console_log), "last-line-in-the-foreground"); ++i) usleep(100 * 1000);
  // Killed rather than halted: the guest's shutdown messages would fill the
  // log again past its size, and the size truncates it then (as LXC's does).
  pid_t init = running ? InitPid(name_) : 0;
  if (init > 0) kill(init, SIGKILL);
  launcher.join();
  ExpectNothingLeft(name_);
  struct stat st;
  ASSERT_EQ(stat(console_log.c_str(), &st), 0);
  EXPECT_LE(st.st_size, 4096);
  EXPECT_NE(stat((console_log + ".1").c_str(), &st), 0);
  EXPECT_TRUE(Contains(Read(console_log), "last-line-in-the-foreground")) << Read(console_log);
  // Standard output got all of it.
  EXPECT_TRUE(Contains(foreground.out, "line 0 of the console flood")) << foreground.out.size();
}

}  // namespace
}  // namespace uxc::testing

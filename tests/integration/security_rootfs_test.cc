// The container's root is hostile: what uxc opens, renames or reads in it
// from the host must stay in it, and nothing there may hang, bloat or abort
// uxc (issue 9 items 5, 6 and 10). Each test makes the rootfs as a hostile
// container would, then runs the installed uxc as the unprivileged test user.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

constexpr uid_t kContainerRoot = 600000;  // the fixture's first subordinate id
// Bigger than lxc.console.size below: the first console write truncates or
// rotates the log, and with it this file if the log were it.
const std::string kPrecious(5000, 'p');

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string Shell(const std::string& command) {
  CommandResult result = Run({"/bin/sh", "-c", command});
  EXPECT_EQ(result.exit_code, 0) << command << "\n" << result.err;
  return result.out;
}

class RootfsAttackTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    if (HasFatalFailure()) return;
    rootfs_ = path_ + "/" + name_ + "/rootfs";
    // What the user already has in their home, where the logs must not go.
    Shell("rm -f " + user_.home + "/console.log* " + user_.home + "/uxc.log*");
    std::ofstream(user_.home + "/console.log") << kPrecious;
    ASSERT_EQ(chown((user_.home + "/console.log").c_str(), user_.uid, user_.gid), 0);
  }
  void TearDown() override {
    Shell("rm -f " + user_.home + "/console.log* " + user_.home + "/uxc.log*");
    LifecycleTest::TearDown();
  }

  // The home as the test left it: the user's file whole, no log beside it.
  void ExpectHomeUntouched() {
    EXPECT_EQ(ReadFileOrDie(user_.home + "/console.log"), kPrecious) << "the user's ~/console.log was changed";
    for (const char* name : {"/console.log.1", "/uxc.log"}) {
      EXPECT_NE(access((user_.home + name).c_str(), F_OK), 0) << "uxc made ~" << name;
    }
  }

  // The container's var/log made a symlink to the user's home.
  void PlantVarLogLink() {
    Shell("rm -rf " + rootfs_ + "/var/log && ln -s " + user_.home + " " + rootfs_ + "/var/log && chown -h " +
          std::to_string(kContainerRoot) + ":" + std::to_string(kContainerRoot) + " " + rootfs_ + "/var/log");
  }

  std::vector<std::string> LogKeys(bool console, bool log_file) {
    std::vector<std::string> keys;
    if (console) {
      keys.insert(keys.end(), {"-s", "lxc.console.logfile=" + rootfs_ + "/var/log/console.log", "-s",
                               "lxc.console.size=4096", "-s", "lxc.console.rotate=0"});
    }
    if (log_file) keys.insert(keys.end(), {"-s", "lxc.log.file=" + rootfs_ + "/var/log/uxc.log", "-l", "DEBUG"});
    return keys;
  }

  // A start that refused the logs said which and why; one that went on
  // wrote them inside the root. Either way the container is stopped after.
  void ExpectRefusedOrConfined(const CommandResult& start, const std::string& key) {
    if (start.exit_code != 0) {
      EXPECT_TRUE(Contains(start.err, key)) << start.err;
      EXPECT_TRUE(Contains(start.err, "inside the rootfs")) << start.err;
    } else {
      (void)Uxc("stop", {name_, "-k"});
    }
    ExpectNothingLeft(name_);
  }

  // `uxc attach NAME -- true` under /usr/bin/time, with a deadline: its exit,
  // messages and peak resident memory in KiB (the largest of the attach
  // process tree). Its address space is capped too, at 4 GiB, so that an
  // attach that reads without bound fails fast instead of taking the host's
  // memory; not under ASan, whose shadow memory needs terabytes of it.
  struct Measured {
    CommandResult result;
    long max_rss_kib = -1;
  };
  Measured AttachTrue() {
    RunOptions options;
    options.timeout_seconds = 30;
    std::vector<std::string> argv = {"/usr/bin/time", "-f", "max-rss-kib=%M"};
    std::string uxc = InstalledBinary("uxc");
    if (uxc::testing::Run({"/bin/sh", "-c", "ldd " + uxc + " 2>/dev/null | grep -q libasan"}).exit_code != 0) {
      argv.insert(argv.end(), {"/usr/bin/prlimit", "--as=4294967296"});
    }
    argv.insert(argv.end(), {uxc, "attach", "-P", path_, name_, "--", "true"});
    Measured measured;
    measured.result = RunAs(user_, argv, options);
    size_t at = measured.result.err.rfind("max-rss-kib=");
    if (at != std::string::npos) measured.max_rss_kib = std::atol(measured.result.err.c_str() + at + 12);
    return measured;
  }

  // Replaces the container's /etc/passwd (as container root would) by what
  // `make` (a shell command run in etc/) leaves there, then attaches.
  void ExpectAttachCopesWith(const std::string& make, const std::string& why) {
    Shell("cd " + rootfs_ + "/etc && rm -f passwd && " + make);
    Measured measured = AttachTrue();
    EXPECT_EQ(measured.result.exit_code, 0) << measured.result.err;
    EXPECT_TRUE(Contains(measured.result.err, "the container's /etc/passwd: " + why)) << measured.result.err;
    EXPECT_GT(measured.max_rss_kib, 0) << measured.result.err;
    EXPECT_LT(measured.max_rss_kib, 256 * 1024) << "attach grew to " << measured.max_rss_kib << " KiB";
  }

  std::string rootfs_;
};

// Item 5: `uxc start` with lxc.log.file or lxc.console.logfile under the
// rootfs's /var/log, which the container made a symlink to the user's home.
TEST_F(RootfsAttackTest, DetachedStartKeepsItsLogOutOfASymlinkedVarLog) {
  PlantVarLogLink();
  std::vector<std::string> args = {name_};
  for (const std::string& key : LogKeys(false, true)) args.push_back(key);
  auto started = Uxc("start", args);
  ExpectRefusedOrConfined(started, "lxc.log.file");
  ExpectHomeUntouched();
}

TEST_F(RootfsAttackTest, DetachedStartKeepsTheConsoleLogOutOfASymlinkedVarLog) {
  PlantVarLogLink();
  std::vector<std::string> args = {name_};
  for (const std::string& key : LogKeys(true, false)) args.push_back(key);
  auto started = Uxc("start", args);
  ExpectRefusedOrConfined(started, "lxc.console.logfile");
  ExpectHomeUntouched();
}

TEST_F(RootfsAttackTest, ForegroundStartKeepsItsLogsOutOfASymlinkedVarLog) {
  PlantVarLogLink();
  for (bool log_file : {false, true}) {
    std::vector<std::string> args = {name_, "-F"};
    for (const std::string& key : LogKeys(true, log_file)) args.push_back(key);
    RunOptions options;
    options.timeout_seconds = 60;
    CommandResult foreground;
    std::atomic<bool> ended = false;
    std::thread launcher([&] {
      foreground = Uxc("start", args, options);
      ended = true;
    });
    // Should the start go on, the container is halted once it runs.
    bool running = false;
    for (int i = 0; i < 40 && !ended && LsState(name_) != "RUNNING"; ++i) usleep(250 * 1000);
    running = LsState(name_) == "RUNNING";
    if (running) (void)Uxc("stop", {name_, "-k"});
    launcher.join();
    EXPECT_NE(foreground.exit_code, -1) << "the foreground start did not end: " << foreground.err;
    if (!running) {
      EXPECT_TRUE(Contains(foreground.err, log_file ? "lxc.log.file" : "lxc.console.logfile")) << foreground.err;
      EXPECT_TRUE(Contains(foreground.err, "inside the rootfs")) << foreground.err;
    }
    ExpectNothingLeft(name_);
    ExpectHomeUntouched();
  }
}

// Item 5, the monitor's rotation: the log starts in the real var/log; then
// container root swaps var/log for a symlink to the user's home (whose path
// it can guess) and floods the console, so that the monitor rotates.
TEST_F(RootfsAttackTest, MonitorRotatesInTheDirectoryItOpenedNotThroughASwappedSymlink) {
  // A log directory both the user (the log's writer) and container root
  // (who renames it) may write to.
  ASSERT_EQ(chmod((rootfs_ + "/var/log").c_str(), 0777), 0);
  auto started = Uxc("start", {name_, "-s", "lxc.console.logfile=" + rootfs_ + "/var/log/console.log", "-s",
                               "lxc.console.size=4096", "-s", "lxc.console.rotate=1"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  auto swapped = Uxc("attach", {name_, "--", "sh", "-c",
                                "mv /var/log /var/log.old && ln -s " + user_.home +
                                    " /var/log && i=0; while [ $i -lt 200 ]; do echo \"line $i of the console "
                                    "flood, sixty bytes long....\"; i=$((i+1)); done > /dev/console"});
  EXPECT_EQ(swapped.exit_code, 0) << swapped.err;
  auto stopped = Uxc("stop", {name_, "-t", "30"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectNothingLeft(name_);
  ExpectHomeUntouched();
  struct stat rotated;
  EXPECT_EQ(stat((rootfs_ + "/var/log.old/console.log.1").c_str(), &rotated), 0)
      << "the rotation did not happen in the directory the log was opened in";
}

// Item 6: the container's /etc/passwd as something attach must not read
// whole, or at all. Attach goes on with the defaults and says why, within
// the deadline and a bounded memory.
TEST_F(RootfsAttackTest, AttachCopesWithAHostilePasswd) {
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  // Without an attack, attach works and reads the file quietly.
  Measured plain = AttachTrue();
  EXPECT_EQ(plain.result.exit_code, 0) << plain.result.err;
  EXPECT_FALSE(Contains(plain.result.err, "passwd")) << plain.result.err;
  ExpectAttachCopesWith("ln -s /dev/zero passwd", "not a regular file (a character device)");
  ExpectAttachCopesWith("mkfifo passwd", "not a regular file (a FIFO)");
  ExpectAttachCopesWith("truncate -s 1T passwd", "1099511627776 bytes, more than the 8388608");
  // A symlink that climbs out of the root to a file of the user's resolves
  // inside the root, where there is no such file.
  std::string host_file = scratch_ + "/host-passwd";
  std::ofstream(host_file) << "root:x:0:0:root:/home-from-the-host:/bin/sh\n";
  ASSERT_EQ(chmod(host_file.c_str(), 0644), 0);
  Shell("cd " + rootfs_ + "/etc && rm -f passwd && ln -s ../../../../../../../.." + host_file + " passwd");
  auto whoami = Uxc("attach", {name_, "--", "sh", "-c", "echo home=$HOME shell=$SHELL"});
  EXPECT_EQ(whoami.exit_code, 0) << whoami.err;
  EXPECT_TRUE(Contains(whoami.out, "home=/ shell=/bin/sh")) << whoami.out << whoami.err;
  EXPECT_TRUE(Contains(whoami.err, "the container's /etc/passwd: No such file")) << whoami.err;
  auto stopped = Uxc("stop", {name_, "-k"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectNothingLeft(name_);
}

// Item 10: the rootfs named through a symlink longer than its real path,
// with an init that is a symlink to systemd: a refusal that says why, not
// an abort.
TEST_F(RootfsAttackTest, SystemdInitUnderALongerRootfsSymlinkIsRefusedNotAborted) {
  std::string link = scratch_ + "/a-symlink-to-the-rootfs-whose-name-is-much-longer-than-the-real-path";
  ASSERT_EQ(symlink(rootfs_.c_str(), link.c_str()), 0);
  Shell("mkdir -p " + rootfs_ + "/lib/systemd && cp " + rootfs_ + "/bin/busybox " + rootfs_ +
        "/lib/systemd/systemd && rm -f " + rootfs_ + "/sbin/init && ln -s ../lib/systemd/systemd " + rootfs_ +
        "/sbin/init");
  for (const char* mode : {"-d", "-F"}) {
    auto started = Uxc("start", {name_, mode, "-s", "lxc.rootfs.path=" + link});
    EXPECT_NE(started.exit_code, 134) << started.err;
    EXPECT_EQ(started.term_signal, 0) << started.err;
    EXPECT_NE(started.exit_code, 0) << started.err;
    EXPECT_TRUE(Contains(started.err, "/sbin/init is systemd (/lib/systemd/systemd)")) << started.err;
    ExpectNothingLeft(name_);
  }
}

}  // namespace
}  // namespace uxc::testing

// A Debian bookworm system container with sysvinit-core as its init, made by
// `uxc create -t debian -- --init sysvinit` as the unprivileged user: it boots
// to runlevel 2, `uxc attach` works in it, and `uxc stop` (SIGPWR) shuts it
// down through its rc scripts, with no kill after the timeout.
//
// The bootstrapped tarball is cached under /var/cache/uxc-test/debian by its
// inputs (release, variant, architecture, mirror, packages), shared with the
// templates test, so only a cold run downloads.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <sstream>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

constexpr char kGuest[] = "deb";

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class DebianGuestTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    if (HasFatalFailure()) return;
    auto begin = std::chrono::steady_clock::now();
    auto made = CreateDebianGuest(kGuest);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    // Not an assert: the figure for the CI budget (cold: bootstrap, warm: unpack).
    std::printf("uxc create -t debian --init sysvinit: %.1f s (%s)\n", seconds,
                Contains(made.err, "using the cached Debian rootfs") ? "cached" : "bootstrapped");
    console_log_ = path_ + "/" + kGuest + "-console.log";
  }

  // What the console showed, for failure messages.
  std::string ConsoleLog() {
    struct stat st;
    return stat(console_log_.c_str(), &st) == 0 ? ReadFileOrDie(console_log_) : "(no console log)";
  }

  // Polls `runlevel` in the guest until init has entered runlevel 2 (its rc
  // scripts done) or `tries` polls failed; returns the last answer.
  std::string WaitForRunlevel(int tries) {
    std::string answer;
    for (int i = 0; i < tries; ++i) {
      auto runlevel = Uxc("attach", {kGuest, "--", "runlevel"});
      answer = runlevel.out + runlevel.err;
      if (runlevel.exit_code == 0 && Contains(runlevel.out, " 2")) return answer;
      usleep(500 * 1000);
    }
    return answer;
  }

  struct GuestProcesses {
    std::string listing;
    bool init_is_pid1 = false;
    bool cron = false;
    int gettys = 0;
  };

  GuestProcesses ListGuestProcesses() {
    GuestProcesses seen;
    auto ps = Uxc("attach", {kGuest, "--", "ps", "-e", "-o", "pid=,comm="});
    seen.listing = ps.out + ps.err;
    if (ps.exit_code != 0) return seen;
    std::istringstream lines(ps.out);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::string pid, command;
      fields >> pid >> command;
      if (pid == "1" && command == "init") seen.init_is_pid1 = true;
      if (command == "cron") seen.cron = true;
      if (command == "getty") ++seen.gettys;
    }
    return seen;
  }

  std::string console_log_;
};

TEST_F(DebianGuestTest, BootsToItsRunlevelAttachesAndHaltsCleanly) {
  auto boot_begin = std::chrono::steady_clock::now();
  auto started = Uxc("start", {kGuest, "-s", "lxc.console.logfile=" + console_log_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(LsState(kGuest), "RUNNING");

  std::string runlevel = WaitForRunlevel(240);
  ASSERT_EQ(runlevel, "N 2\n") << "console:\n" << ConsoleLog();
  std::printf("uxc start to runlevel 2: %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - boot_begin).count());

  // init is pid 1; cron was started by the rc scripts of runlevel 2; the
  // gettys by init from the inittab. sysvinit reports runlevel 2 as soon as
  // it switches, while `rc 2` still runs; the gettys come after it ends.
  GuestProcesses seen;
  for (int i = 0; i < 240 && !(seen.cron && seen.gettys == 5); ++i) {
    if (i > 0) usleep(500 * 1000);
    seen = ListGuestProcesses();
  }
  EXPECT_TRUE(seen.init_is_pid1) << seen.listing;
  EXPECT_TRUE(seen.cron) << seen.listing << "console:\n" << ConsoleLog();
  EXPECT_EQ(seen.gettys, 5) << "a getty on the console and on tty1..4:\n" << seen.listing;

  // The getty on the console printed its prompt, which the monitor copied
  // to lxc.console.logfile.
  bool prompt = false;
  for (int i = 0; i < 60 && !prompt; ++i) {
    prompt = Contains(ConsoleLog(), std::string(kGuest) + " login:");
    if (!prompt) usleep(250 * 1000);
  }
  EXPECT_TRUE(prompt) << ConsoleLog();

  auto release = Uxc("attach", {kGuest, "--", "sh", "-c", "cat /etc/debian_version; id -un; exit 3"});
  EXPECT_EQ(release.exit_code, 3) << release.err;
  EXPECT_EQ(release.out.substr(0, 3), "12.") << release.out;
  EXPECT_TRUE(Contains(release.out, "\nroot\n")) << release.out;

  RunOptions patient;
  patient.timeout_seconds = 120;
  auto halt_begin = std::chrono::steady_clock::now();
  auto stopped = Uxc("stop", {kGuest, "-t", "60"}, patient);
  // Not an assert (no timed asserts): the figure for the report.
  std::printf("uxc stop (SIGPWR, rc 0, halt): %.1f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - halt_begin).count());
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_FALSE(Contains(stopped.err, "killing"))
      << "sysvinit must halt on SIGPWR within the timeout: " << stopped.err << "\nconsole:\n"
      << ConsoleLog();
  // The halt went through runlevel 0's rc scripts, which end in halt(8).
  EXPECT_TRUE(Contains(ConsoleLog(), "Will now halt")) << ConsoleLog();
  EXPECT_EQ(LsState(kGuest), "STOPPED");
  ExpectNothingLeft(kGuest);
}

}  // namespace
}  // namespace uxc::testing

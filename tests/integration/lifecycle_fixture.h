// Shared setup for the lifecycle tests: a real unprivileged user with a
// subordinate range and a busybox container made by `uxc create`, helpers
// to run the installed uxc as them, and the leak check every test ends
// with: no process of the user left, nothing in their runtime dir.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/lib/host.h"

namespace uxc::testing {

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Runs the installed `uxc COMMAND -P <path> ARGS...` as the test user.
  CommandResult Uxc(const std::string& command, const std::vector<std::string>& args,
                    const RunOptions& options = {});
  // `uxc ls` and the STATE column of NAME's row ("" when not listed).
  std::string LsState(const std::string& name);
  // The init's and the monitor's pids from the container's state file.
  pid_t InitPid(const std::string& name);
  pid_t MonitorPid(const std::string& name);
  // The test user's runtime dir (XDG_RUNTIME_DIR is unset in RunAs).
  std::string RuntimeBase() const { return user_.home + "/.cache/uxc/run"; }
  // Pids of processes whose real uid is the user's or in its subordinate
  // range (the container's).
  std::vector<pid_t> ProcessesOfUser() const;
  // Waits (bounded) until no process of the user is left, then fails the
  // test on any process or runtime file still there.
  void ExpectNothingLeft(const std::string& name);
  // `uxc attach NAME -- ps` works and lists the container's init as pid 1.
  void ExpectInitIsPid1(const std::string& name);
  // `uxc create NAME -t debian -- --init sysvinit` (bookworm, with procps
  // and cron) from the bootstrap cached under /var/cache/uxc-test/debian,
  // which the Debian guest tests share; a cold cache bootstraps (up to 15
  // minutes).
  CommandResult CreateDebianGuest(const std::string& name);

  HostUser user_;
  std::string path_;
  std::string scratch_;
  const std::string name_ = "bb";

 private:
  std::unique_ptr<ScopedHostFile> subuid_;
  std::unique_ptr<ScopedHostFile> subgid_;
};

}  // namespace uxc::testing

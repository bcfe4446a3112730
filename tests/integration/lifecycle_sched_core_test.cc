// lxc.sched.core: the container's init gets its own core-scheduling cookie
// (prctl(2) PR_SCHED_CORE). On a kernel without core scheduling the start
// fails and says why; the test finds out which kind of kernel this is by
// asking for its own cookie first.
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The core-scheduling cookie of `pid`'s thread group, or -errno.
long long CookieOf(pid_t pid) {
  unsigned long long cookie = 0;
  if (prctl(PR_SCHED_CORE, PR_SCHED_CORE_GET, pid, PR_SCHED_CORE_SCOPE_THREAD_GROUP, &cookie) != 0) return -errno;
  return static_cast<long long>(cookie);
}

using SchedCoreTest = LifecycleTest;

TEST_F(SchedCoreTest, TheInitGetsItsOwnCookieOrTheStartSaysWhyNot) {
  long long host_cookie = CookieOf(getpid());
  auto started = Uxc("start", {name_, "-s", "lxc.sched.core=1"});
  if (host_cookie == -EINVAL || host_cookie == -ENODEV) {
    std::cout << "this kernel has no core scheduling (errno " << -host_cookie << "): checking the start's error\n";
    EXPECT_EQ(started.exit_code, 1) << started.err;
    EXPECT_TRUE(Contains(started.err, "create a core-scheduling domain (lxc.sched.core)")) << started.err;
    const char* reason = host_cookie == -EINVAL ? "CONFIG_SCHED_CORE" : "no SMT";
    EXPECT_TRUE(Contains(started.err, reason)) << started.err;
    EXPECT_TRUE(Contains(started.err, "set lxc.sched.core = 0")) << started.err;
    ExpectNothingLeft(name_);
    return;
  }
  std::cout << "this kernel has core scheduling: comparing the init's cookie with the host's\n";
  ASSERT_GE(host_cookie, 0);
  ASSERT_EQ(started.exit_code, 0) << started.err;
  long long init_cookie = CookieOf(InitPid(name_));
  EXPECT_GT(init_cookie, 0);
  EXPECT_NE(init_cookie, host_cookie);
  auto stopped = Uxc("stop", {name_, "-k"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectNothingLeft(name_);
}

TEST_F(SchedCoreTest, WithoutTheKeyTheInitSharesTheHostsCookie) {
  long long host_cookie = CookieOf(getpid());
  if (host_cookie < 0) {
    // Nothing to compare on a kernel without core scheduling; the start
    // must simply not try.
    auto started = Uxc("start", {name_, "-s", "lxc.sched.core=0"});
    ASSERT_EQ(started.exit_code, 0) << started.err;
  } else {
    auto started = Uxc("start", {name_});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    EXPECT_EQ(CookieOf(InitPid(name_)), host_cookie);
  }
  auto stopped = Uxc("stop", {name_, "-k"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectNothingLeft(name_);
}

}  // namespace
}  // namespace uxc::testing

#include "launcher/lifecycle/container_lock.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

std::string MakeDir() {
  std::string pattern = std::string(getenv("TEST_TMPDIR")) + "/lockXXXXXX";
  EXPECT_NE(mkdtemp(pattern.data()), nullptr);
  return pattern;
}

// Whether another process (not just another fd of ours) can take the lock.
bool OtherProcessCanLock(const std::string& dir) {
  pid_t pid = fork();
  if (pid == 0) _exit(ContainerLock::TryAcquire(dir, "c1").ok() ? 0 : 1);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(ContainerLockTest, HeldLockRefusesOthersUntilReleased) {
  std::string dir = MakeDir();
  {
    auto lock = ContainerLock::TryAcquire(dir, "c1");
    ASSERT_TRUE(lock.ok()) << lock.error().ToString();
    EXPECT_TRUE(lock->held());
    EXPECT_FALSE(OtherProcessCanLock(dir));
    auto second = ContainerLock::TryAcquire(dir, "c1");
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().errno_value, EWOULDBLOCK);
    EXPECT_NE(second.error().message.find("'c1' is running"), std::string::npos);
  }
  EXPECT_TRUE(OtherProcessCanLock(dir));
}

TEST(ContainerLockTest, MissingDirectoryIsAnError) {
  auto lock = ContainerLock::TryAcquire("/nonexistent/uxc/c1", "c1");
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.error().errno_value, ENOENT);
}

}  // namespace
}  // namespace uxc::lifecycle

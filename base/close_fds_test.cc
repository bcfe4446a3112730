#include "base/close_fds.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace uxc {
namespace {

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1; }

// Runs `body` in a child, which reports through its exit status.
int InChild(void (*body)()) {
  pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

TEST(CloseFdsTest, ClosesAllButStdioAndTheKeptOnes) {
  EXPECT_EQ(InChild([] {
              int fds[6];
              for (int& fd : fds) fd = open("/dev/null", O_RDONLY);
              if (CloseFdsExcept({fds[4], fds[1], fds[1], 2}) != 0) _exit(1);
              for (int i = 0; i < 6; ++i) {
                bool kept = i == 1 || i == 4;
                if (IsOpen(fds[i]) != kept) _exit(10 + i);
              }
              for (int fd = 0; fd <= 2; ++fd) {
                if (!IsOpen(fd)) _exit(20 + fd);
              }
            }),
            0);
}

TEST(CloseFdsTest, NothingKeptClosesEverythingAboveStdio) {
  EXPECT_EQ(InChild([] {
              int high = fcntl(open("/dev/null", O_RDONLY), F_DUPFD, 900);
              if (high < 900) _exit(2);
              if (CloseFdsExcept({}) != 0) _exit(1);
              if (IsOpen(high)) _exit(3);
            }),
            0);
}

}  // namespace
}  // namespace uxc

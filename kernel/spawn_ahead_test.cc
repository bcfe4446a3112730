#include "kernel/spawn_ahead.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "base/unique_fd.h"

namespace uxc::kernel {
namespace {

struct Pipe {
  UniqueFd read_end;
  UniqueFd write_end;
};

Pipe MakePipe() {
  int fds[2];
  EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

std::string ReadAll(int fd) {
  std::string text;
  char buffer[512];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, n);
  return text;
}

int Reap(pid_t pid) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The program gets the environment, stderr and the kept fd; every other
// CLOEXEC fd closes.
TEST(SpawnAheadTest, RunsTheProgramWithStderrAndTheKeptFd) {
  Pipe err = MakePipe();
  Pipe kept = MakePipe();
  Pipe closed = MakePipe();
  ASSERT_EQ(setenv("SPAWN_AHEAD_TEST", "from-the-caller", 1), 0);
  std::string script = "echo $SPAWN_AHEAD_TEST >&2; echo kept >&" + std::to_string(kept.write_end.get()) +
                       "; echo x >&" + std::to_string(closed.write_end.get()) + " || exit 3";
  auto spawn =
      SpawnAhead::Start({"/bin/sh", "-c", script}, err.write_end.get(), kept.write_end.get());
  ASSERT_TRUE(spawn.ok()) << spawn.error().ToString();
  err.write_end.Reset();
  kept.write_end.Reset();
  closed.write_end.Reset();
  EXPECT_EQ(Reap((*spawn)->pid()), 3);
  EXPECT_EQ(ReadAll(kept.read_end.get()), "kept\n");
  EXPECT_EQ(ReadAll(closed.read_end.get()), "");
  EXPECT_EQ(ReadAll(err.read_end.get()).rfind("from-the-caller\n", 0), 0u);
}

TEST(SpawnAheadTest, AFailedExecIsExitStatus127WithAMessage) {
  Pipe err = MakePipe();
  auto spawn = SpawnAhead::Start({"/nonexistent/helper"}, err.write_end.get(), -1);
  ASSERT_TRUE(spawn.ok()) << spawn.error().ToString();
  err.write_end.Reset();
  EXPECT_EQ(Reap((*spawn)->pid()), 127);
  EXPECT_EQ(ReadAll(err.read_end.get()), "the program could not be executed (execve failed)\n");
}

// Start blocks every signal around the clone; the program gets the
// caller's mask, and the caller has it back.
TEST(SpawnAheadTest, TheProgramGetsTheCallersSignalMask) {
  sigset_t usr1, before, after;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ASSERT_EQ(sigprocmask(SIG_BLOCK, &usr1, &before), 0);
  Pipe err = MakePipe();
  // sed, not a shell: dash resets its mask as it starts.
  auto spawn = SpawnAhead::Start({"/bin/sed", "-n", "/^SigBlk/w /dev/stderr", "/proc/self/status"},
                                 err.write_end.get(), -1);
  ASSERT_TRUE(spawn.ok()) << spawn.error().ToString();
  ASSERT_EQ(sigprocmask(SIG_SETMASK, &before, &after), 0);
  err.write_end.Reset();
  EXPECT_EQ(Reap((*spawn)->pid()), 0);
  EXPECT_EQ(ReadAll(err.read_end.get()), "SigBlk:\t0000000000000200\n");  // SIGUSR1 = 10
  EXPECT_TRUE(sigismember(&after, SIGUSR1));
  EXPECT_FALSE(sigismember(&after, SIGUSR2));
}

}  // namespace
}  // namespace uxc::kernel

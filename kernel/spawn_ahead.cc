#include "kernel/spawn_ahead.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <unistd.h>

#include <csignal>

extern char** environ;

namespace uxc::kernel {
namespace {

constexpr size_t kStackSize = 256 * 1024;
constexpr char kExecFailed[] = "the program could not be executed (execve failed)\n";

}  // namespace

// The child shares the caller's memory until its exec (clone(2) with
// CLONE_VM but not CLONE_VFORK), so it only makes syscalls on its own stack
// and reads what SpawnAhead keeps alive. Only the exec can fail, and then
// it writes errno, which the caller shares: a failed exec is not worth a
// syscall layer without errno.
int RunSpawnedChild(void* arg) {
  const SpawnAhead& spawn = *static_cast<const SpawnAhead*>(arg);
  // A handler of the caller's would run on the shared memory: default them
  // (the child has its own copy of the table). glibc keeps 32 and 33.
  for (int signal_number = 1; signal_number < NSIG; ++signal_number) {
    if (signal_number == 32 || signal_number == 33) continue;
    struct sigaction current;
    if (sigaction(signal_number, nullptr, &current) != 0) continue;
    if (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN) continue;
    signal(signal_number, SIG_DFL);
  }
  sigprocmask(SIG_SETMASK, &spawn.mask_, nullptr);
  if (spawn.stderr_fd_ != STDERR_FILENO) dup2(spawn.stderr_fd_, STDERR_FILENO);
  if (spawn.keep_fd_ >= 0) fcntl(spawn.keep_fd_, F_SETFD, 0);
  execve(spawn.argv_pointers_[0], spawn.argv_pointers_.data(), spawn.envp_.data());
  ssize_t ignored = write(STDERR_FILENO, kExecFailed, sizeof kExecFailed - 1);
  (void)ignored;
  // clone(2)'s wrapper ends the child with this value (no _exit: a
  // sanitizer's no-return hook would complain about the foreign stack).
  return 127;
}

Result<std::unique_ptr<SpawnAhead>> SpawnAhead::Start(std::vector<std::string> argv, int stderr_fd,
                                                      int keep_fd) {
  std::unique_ptr<SpawnAhead> spawn(new SpawnAhead());
  spawn->argv_ = std::move(argv);
  for (std::string& arg : spawn->argv_) spawn->argv_pointers_.push_back(arg.data());
  spawn->argv_pointers_.push_back(nullptr);
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    spawn->envp_.push_back(*entry);
  }
  spawn->envp_.push_back(nullptr);
  spawn->stderr_fd_ = stderr_fd;
  spawn->keep_fd_ = keep_fd;
  void* stack = mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return ErrnoError("map a stack to start " + spawn->argv_[0]);
  spawn->stack_ = stack;
  // Signals stay blocked until the child has defaulted the handlers.
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &spawn->mask_);
  pid_t pid = clone(RunSpawnedChild, static_cast<char*>(stack) + kStackSize, CLONE_VM | SIGCHLD,
                    spawn.get());
  int clone_errno = errno;
  pthread_sigmask(SIG_SETMASK, &spawn->mask_, nullptr);
  if (pid < 0) return ErrnoError(clone_errno, "start " + spawn->argv_[0]);
  spawn->pid_ = pid;
  return spawn;
}

SpawnAhead::~SpawnAhead() {
  if (stack_ != nullptr) munmap(stack_, kStackSize);
}

}  // namespace uxc::kernel

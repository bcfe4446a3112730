// Starting a program without waiting for its exec: posix_spawn(3) blocks
// the caller until the child's execve reaches its point of no return (it
// uses vfork semantics), about 0.13 ms for a setuid helper here. The early
// id-map helper (launcher/engine/idmap.h) starts this way, so that its exec overlaps the
// planning of the start instead of preceding it (bench/README.md).
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "base/error.h"

namespace uxc::kernel {

class SpawnAhead {
 public:
  // Starts argv[0] (a path) with the caller's environment, `stderr_fd` as
  // its stderr, and `keep_fd` open across the exec at the same number. An
  // exec that fails shows as exit status 127 with a message on `stderr_fd`.
  static Result<std::unique_ptr<SpawnAhead>> Start(std::vector<std::string> argv, int stderr_fd,
                                                   int keep_fd);
  SpawnAhead(const SpawnAhead&) = delete;
  SpawnAhead& operator=(const SpawnAhead&) = delete;
  // Unmaps the child's stack: destroy only once the process is reaped.
  ~SpawnAhead();

  pid_t pid() const { return pid_; }

 private:
  SpawnAhead() = default;
  friend int RunSpawnedChild(void* spawn);

  std::vector<std::string> argv_;
  std::vector<char*> argv_pointers_;
  std::vector<char*> envp_;  // a copy of environ's array, which setenv may move
  int stderr_fd_ = -1;
  int keep_fd_ = -1;
  sigset_t mask_{};  // the caller's signal mask, which the program gets
  void* stack_ = nullptr;
  pid_t pid_ = -1;
};

}  // namespace uxc::kernel

#include "kernel/setuid_helper.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace uxc::kernel {
namespace {

std::string FormatArguments(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& arg : argv) {
    if (!text.empty()) text += ' ';
    text += arg;
  }
  return text;
}

// Until end of file: the helper's stderr is short, and it ends with it.
std::string ReadAll(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) text.append(buffer, n);
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

Result<HelperStart> PrepareHelper(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return ErrnoError("create a pipe for " + argv[0]);
  HelperStart start;
  start.helper.stderr_read.Reset(pipe_fds[0]);
  start.stderr_write.Reset(pipe_fds[1]);
  start.helper.command = FormatArguments(argv);
  return start;
}

Result<RunningHelper> SpawnHelper(std::vector<std::string> argv, int pass_fd, bool capture_stdout) {
  UXC_ASSIGN_OR_RETURN(auto start, PrepareHelper(argv));
  UniqueFd stdout_write;
  if (capture_stdout) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return ErrnoError("create a pipe for " + argv[0]);
    start.helper.stdout_read.Reset(pipe_fds[0]);
    stdout_write.Reset(pipe_fds[1]);
  }
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, start.stderr_write.get(), STDERR_FILENO);
  if (stdout_write) posix_spawn_file_actions_adddup2(&actions, stdout_write.get(), STDOUT_FILENO);
  // posix_spawn(3): a dup2 of an fd onto itself clears its FD_CLOEXEC.
  if (pass_fd >= 0) posix_spawn_file_actions_adddup2(&actions, pass_fd, pass_fd);
  int error = posix_spawn(&start.helper.pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) return ErrnoError(error, "run " + argv[0]);
  return std::move(start.helper);
}

Result<HelperExit> WaitForHelper(RunningHelper& helper) {
  int status = 0;
  while (waitpid(helper.pid, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoError("wait for " + helper.command);
  }
  HelperExit exit;
  exit.output = ReadAll(helper.stderr_read.get());
  if (helper.stdout_read) exit.stdout_text = ReadAll(helper.stdout_read.get());
  exit.succeeded = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  exit.how = WIFEXITED(status) ? "exit status " + std::to_string(WEXITSTATUS(status))
                               : "signal " + std::to_string(WTERMSIG(status));
  return exit;
}

std::string DescribeFailure(const RunningHelper& helper, const HelperExit& exit) {
  return "`" + helper.command + "` failed (" + exit.how + ")" + (exit.output.empty() ? "" : ": " + exit.output);
}

}  // namespace uxc::kernel

#include "launcher/templates/host_command.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/unique_fd.h"

namespace uxc::templates {
namespace {

struct Pipe {
  UniqueFd read_end;
  UniqueFd write_end;
};

Result<Pipe> MakePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("create a pipe");
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Drains both pipes until they close.
Status Collect(UniqueFd& out, UniqueFd& err, HostCommandResult& result) {
  char buffer[65536];
  while (out || err) {
    pollfd fds[2] = {{out ? out.get() : -1, POLLIN, 0}, {err ? err.get() : -1, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("poll a command's output");
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(n));
      } else {
        (i == 0 ? out : err).Reset();
      }
    }
  }
  return OkStatus();
}

std::string Joined(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) text += (text.empty() ? "" : " ") + arg;
  return text;
}

}  // namespace

Result<HostCommandResult> RunHostCommand(const std::vector<std::string>& argv,
                                         const HostCommandOptions& options) {
  UXC_ASSIGN_OR_RETURN(auto out, MakePipe());
  UXC_ASSIGN_OR_RETURN(auto err, MakePipe());
  UniqueFd null_fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!null_fd) return ErrnoError("open /dev/null");
  std::vector<std::string> args_copy = argv;
  std::vector<char*> args;
  for (auto& arg : args_copy) args.push_back(arg.data());
  args.push_back(nullptr);
  int stdout_fd = options.stdout_fd >= 0   ? options.stdout_fd
                  : options.capture_stdout ? out.write_end.get()
                                           : STDOUT_FILENO;

  pid_t pid = fork();
  if (pid < 0) return ErrnoError("fork for " + argv[0]);
  if (pid == 0) {
    int stderr_fd = options.stderr_to_caller ? STDERR_FILENO : err.write_end.get();
    if (dup2(null_fd.get(), 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) {
      _exit(127);
    }
    execvp(args[0], args.data());
    _exit(127);
  }
  out.write_end.Reset();
  err.write_end.Reset();
  HostCommandResult result;
  Status collected = Collect(out.read_end, err.read_end, result);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoError("wait for " + argv[0]);
  }
  if (!collected.ok()) return collected.take_error();
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (result.exit_code == 127 && result.err.empty()) {
    return PlainError("cannot run " + argv[0] + ": not installed or not in PATH");
  }
  return result;
}

Result<HostCommandResult> RunHostCommandOrFail(const std::vector<std::string>& argv,
                                               const std::string& what,
                                               const HostCommandOptions& options) {
  auto result = RunHostCommand(argv, options);
  if (!result.ok()) return Annotate(result.take_error(), what);
  if (result->exit_code != 0) {
    std::string err = result->err;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return PlainError(what + ": `" + Joined(argv) + "` " +
                      (result->exit_code < 0 ? std::string("was killed")
                                             : "exited with status " + std::to_string(result->exit_code)) +
                      (err.empty() ? "" : ": " + err));
  }
  return result;
}

}  // namespace uxc::templates

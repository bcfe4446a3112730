#include "launcher/templates/userns_command.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "base/unique_fd.h"

namespace uxc::templates {
namespace {

constexpr size_t kTailBytes = 8192;

std::string Map(char kind, uint32_t inside, uint32_t outside, uint32_t count) {
  return std::string(1, kind) + ":" + std::to_string(inside) + ":" + std::to_string(outside) + ":" +
         std::to_string(count);
}

std::vector<std::string> UsernsexecArgv(const std::string& uxc_binary, const UsernsCommand& command) {
  std::vector<std::string> argv = {uxc_binary, "usernsexec"};
  for (const auto& map : command.maps) {
    argv.push_back("-m");
    argv.push_back(map);
  }
  argv.push_back("--");
  argv.insert(argv.end(), command.argv.begin(), command.argv.end());
  return argv;
}

// In the forked child: wire stdio and exec. Only async-signal-safe calls.
[[noreturn]] void ExecChild(std::vector<char*>& args, int stdin_fd, int stdout_fd, int stderr_fd) {
  if (dup2(stdin_fd, 0) < 0) _exit(127);
  if (stdout_fd >= 0 && dup2(stdout_fd, 1) < 0) _exit(127);
  if (dup2(stderr_fd, 2) < 0) _exit(127);
  execv(args[0], args.data());
  const char message[] = "uxc: cannot exec uxc usernsexec\n";
  (void)!write(stderr_fd, message, sizeof message - 1);
  _exit(127);
}

void EchoText(std::string_view text) {
  if (!text.empty()) (void)!write(STDERR_FILENO, text.data(), text.size());
}

// Echoes a chunk of the command's stderr, less the lines `noise` hides.
void Echo(NoiseFilter* noise, std::string_view chunk) { EchoText(noise ? noise->Feed(chunk) : std::string(chunk)); }

std::string Describe(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& arg : argv) text += (text.empty() ? "" : " ") + arg;
  return text;
}

}  // namespace

std::vector<std::string> ContainerMaps(const UsernsIds& ids) {
  return {Map('u', 0, ids.subuid.start, ids.subuid.count), Map('g', 0, ids.subgid.start, ids.subgid.count)};
}

std::vector<std::string> ContainerAndOwnerMaps(const UsernsIds& ids) {
  auto maps = ContainerMaps(ids);
  maps.push_back(Map('u', ids.subuid.count, ids.uid, 1));
  maps.push_back(Map('g', ids.subgid.count, ids.gid, 1));
  return maps;
}

Result<UsernsOutcome> RunInUserns(const std::string& uxc_binary, const UsernsCommand& command) {
  std::vector<std::string> argv = UsernsexecArgv(uxc_binary, command);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("create a pipe for usernsexec's stderr");
  UniqueFd err_read(fds[0]), err_write(fds[1]);

  UniqueFd null_fd;
  int stdin_fd = command.stdin_fd;
  if (stdin_fd < 0) {
    null_fd = UniqueFd(open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (!null_fd) return ErrnoError("open /dev/null");
    stdin_fd = null_fd.get();
  }
  std::vector<char*> args;
  for (auto& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) return ErrnoError("fork for uxc usernsexec");
  if (pid == 0) ExecChild(args, stdin_fd, command.stdout_fd, err_write.get());
  err_write.Reset();

  UsernsOutcome outcome;
  char buffer[4096];
  while (true) {
    ssize_t n = read(err_read.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (command.echo_stderr) Echo(command.stderr_noise, std::string_view(buffer, static_cast<size_t>(n)));
    outcome.stderr_tail.append(buffer, static_cast<size_t>(n));
    if (outcome.stderr_tail.size() > 2 * kTailBytes) {
      outcome.stderr_tail.erase(0, outcome.stderr_tail.size() - kTailBytes);
    }
  }
  if (command.echo_stderr && command.stderr_noise) EchoText(command.stderr_noise->Finish());
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoError("wait for uxc usernsexec (" + Describe(command.argv) + ")");
  }
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.term_signal = WTERMSIG(status);
  return outcome;
}

Status RunInUsernsOrFail(const std::string& uxc_binary, const UsernsCommand& command,
                         const std::string& what) {
  auto outcome = RunInUserns(uxc_binary, command);
  if (!outcome.ok()) return Annotate(outcome.take_error(), what);
  if (outcome->exit_code == 0) return OkStatus();
  std::string how = outcome->term_signal != 0
                        ? "was killed by signal " + std::string(strsignal(outcome->term_signal))
                        : "exited with status " + std::to_string(outcome->exit_code);
  return PlainError(what + ": `" + Describe(command.argv) + "` in the container's user namespace " + how +
                    " (its messages are above)");
}

}  // namespace uxc::templates

#include "launcher/engine/security/test_child.h"

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace uxc::security::testing {

ChildResult RunInChild(const std::function<int(int report_fd)>& body, bool new_user_namespace) {
  ChildResult result;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.report = std::string("pipe2: ") + strerror(errno);
    return result;
  }
  pid_t pid = fork();
  if (pid < 0) {
    result.report = std::string("fork: ") + strerror(errno);
    return result;
  }
  if (pid == 0) {
    close(pipe_fds[0]);
    if (new_user_namespace && unshare(CLONE_NEWUSER) != 0) {
      Report(pipe_fds[1], std::string("unshare(CLONE_NEWUSER): ") + strerror(errno));
      _exit(100);
    }
    _exit(body(pipe_fds[1]));
  }
  close(pipe_fds[1]);
  char buffer[4096];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof buffer)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    result.report.append(buffer, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

void Report(int fd, const std::string& text) {
  std::string line = text + "\n";
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

std::string StatusField(const std::string& name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.compare(0, name.size() + 1, name + ":") != 0) continue;
    std::string value = line.substr(name.size() + 1);
    size_t start = value.find_first_not_of(" \t");
    return start == std::string::npos ? "" : value.substr(start);
  }
  return "";
}

}  // namespace uxc::security::testing

#include "tests/lib/host.h"

#include <fcntl.h>
#include <sched.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace uxc::testing {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "test harness: %s: %s\n", what.c_str(), std::strerror(errno));
  std::abort();
}

void WriteFileOrDie(const std::string& path, const std::string& content, mode_t mode) {
  std::string tmp = path + ".uxc-test-tmp." + std::to_string(getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) Die("create " + tmp);
  if (write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size())) {
    Die("write " + tmp);
  }
  fchmod(fd, mode);
  close(fd);
  if (rename(tmp.c_str(), path.c_str()) != 0) Die("rename " + tmp);
}

struct Pipe {
  int read_end = -1;
  int write_end = -1;
};

Pipe MakePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) Die("pipe2");
  return {fds[0], fds[1]};
}

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Feeds stdin and drains stdout/stderr until both close or the deadline passes.
bool Pump(Pipe& in, Pipe& out, Pipe& err, const std::string& input, CommandResult& result,
          int timeout_seconds) {
  size_t written = 0;
  if (input.empty()) {
    close(in.write_end);
    in.write_end = -1;
  }
  time_t deadline = time(nullptr) + timeout_seconds;
  while (out.read_end >= 0 || err.read_end >= 0) {
    if (time(nullptr) > deadline) return false;
    pollfd fds[3] = {{out.read_end, POLLIN, 0}, {err.read_end, POLLIN, 0},
                     {in.write_end, POLLOUT, 0}};
    if (poll(fds, 3, 200) < 0 && errno != EINTR) Die("poll");
    char buf[65536];
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buf, n);
      } else {
        close(fds[i].fd);
        (i == 0 ? out : err).read_end = -1;
      }
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = write(in.write_end, input.data() + written, input.size() - written);
      if (n > 0) written += n;
      if (n <= 0 || written == input.size()) {
        close(in.write_end);
        in.write_end = -1;
      }
    }
  }
  if (in.write_end >= 0) close(in.write_end);
  return true;
}

CommandResult RunWith(const HostUser* user, const std::vector<std::string>& argv,
                      const RunOptions& options) {
  std::map<std::string, std::string> env = options.env;
  env.emplace("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  if (user) {
    env.emplace("HOME", user->home);
    env.emplace("USER", user->name);
    env.emplace("LOGNAME", user->name);
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::string cwd = !options.cwd.empty() ? options.cwd : (user ? user->home : "/");

  Pipe in = MakePipe(), out = MakePipe(), err = MakePipe();
  pid_t pid = fork();
  if (pid < 0) Die("fork");
  if (pid == 0) {
    setpgid(0, 0);
    dup2(in.read_end, 0);
    dup2(out.write_end, 1);
    dup2(err.write_end, 2);
    if (!options.netns.empty()) {
      int netns = open(("/run/netns/" + options.netns).c_str(), O_RDONLY | O_CLOEXEC);
      if (netns < 0 || setns(netns, CLONE_NEWNET) != 0) _exit(125);
      close(netns);
    }
    if (user) {
      if (initgroups(user->name.c_str(), user->gid) != 0 || setresgid(user->gid, user->gid, user->gid) != 0 ||
          setresuid(user->uid, user->uid, user->uid) != 0) {
        _exit(126);
      }
    }
    if (chdir(cwd.c_str()) != 0 && chdir("/") != 0) _exit(126);
    auto args = CStrings(argv);
    auto envp = CStrings(env_strings);
    execve(args[0], args.data(), envp.data());
    execvpe(args[0], args.data(), envp.data());
    _exit(127);
  }
  close(in.read_end);
  close(out.write_end);
  close(err.write_end);
  CommandResult result;
  if (!Pump(in, out, err, options.stdin_data, result, options.timeout_seconds)) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    result.err += "\n[test harness: timed out after " + std::to_string(options.timeout_seconds) + "s]";
    if (out.read_end >= 0) close(out.read_end);
    if (err.read_end >= 0) close(err.read_end);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) Die("waitpid");
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

// Test binaries that swap host files (/etc/subuid, ...) must not overlap:
// the first swap takes a host-wide lock that is held until the process exits.
void HoldHostFileLock() {
  static int lock_fd = -1;
  if (lock_fd >= 0) return;
  lock_fd = open("/run/uxc-host-files.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0 || flock(lock_fd, LOCK_EX) != 0) Die("lock /run/uxc-host-files.lock");
}

}  // namespace

std::string InstalledBinary(const std::string& name) {
  const char* dir = getenv("UXC_TEST_BIN");
  if (!dir || !*dir) {
    std::fprintf(stderr, "UXC_TEST_BIN is unset: run integration tests through tests/run\n");
    std::abort();
  }
  return std::string(dir) + "/" + name;
}

HostUser EnsureUser(const std::string& name) {
  if (!getpwnam(name.c_str())) {
    std::string cmd = "useradd --create-home --shell /bin/sh " + name + " >/dev/null 2>&1";
    if (system(cmd.c_str()) != 0) Die("useradd " + name);
  }
  struct passwd* pw = getpwnam(name.c_str());
  if (!pw) Die("getpwnam " + name);
  return HostUser{name, pw->pw_uid, pw->pw_gid, pw->pw_dir};
}

ScopedHostFile::ScopedHostFile(std::string path, const std::string& content) : path_(std::move(path)) {
  HoldHostFileLock();
  struct stat st;
  if (stat(path_.c_str(), &st) == 0) {
    existed_ = true;
    mode_ = st.st_mode & 07777;
    original_ = ReadFileOrDie(path_);
  }
  Write(content);
}

ScopedHostFile::~ScopedHostFile() {
  if (existed_) {
    WriteFileOrDie(path_, original_, mode_);
  } else {
    unlink(path_.c_str());
  }
}

void ScopedHostFile::Write(const std::string& content) { WriteFileOrDie(path_, content, mode_); }

void ScopedHostFile::Remove() { unlink(path_.c_str()); }

CommandResult RunAs(const HostUser& user, const std::vector<std::string>& argv,
                    const RunOptions& options) {
  return RunWith(&user, argv, options);
}

CommandResult Run(const std::vector<std::string>& argv, const RunOptions& options) {
  return RunWith(nullptr, argv, options);
}

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TrimmedEnd(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace uxc::testing

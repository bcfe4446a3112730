#include "tests/integration/idmap_fixture.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "config/text_util.h"

namespace uxc::testing {
namespace {

[[noreturn]] void Fatal(const std::string& what) {
  std::fprintf(stderr, "idmap fixture: %s: %s\n", what.c_str(), std::strerror(errno));
  std::abort();
}

std::string ReadProcFile(pid_t pid, const char* name) {
  return ReadFileOrDie("/proc/" + std::to_string(pid) + "/" + name);
}

bool ReadFull(int fd, void* data, size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    ssize_t n = read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void WriteFull(int fd, const void* data, size_t size) {
  if (write(fd, data, size) != static_cast<ssize_t>(size)) _exit(121);
}

// The target's side: answer commands until told to quit or the pipe closes.
[[noreturn]] void ServeCommands(int command_fd, int reply_fd) {
  char ready = 'r';
  WriteFull(reply_fd, &ready, 1);
  char command;
  while (ReadFull(command_fd, &command, 1)) {
    int result = 0;
    if (command == 's') result = setgroups(0, nullptr) == 0 ? 0 : errno;
    if (command == 'n') result = unshare(CLONE_NEWUSER) == 0 ? 0 : errno;
    if (command == 'q') _exit(0);
    WriteFull(reply_fd, &result, sizeof result);
  }
  _exit(0);
}

// Root's process that creates and holds a user namespace owned by uid 0.
pid_t StartNamespaceHolder() {
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) Fatal("pipe2");
  pid_t pid = fork();
  if (pid < 0) Fatal("fork");
  if (pid == 0) {
    if (unshare(CLONE_NEWUSER) != 0) _exit(122);
    WriteFull(ready[1], "r", 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char byte;
  if (!ReadFull(ready[0], &byte, 1)) Fatal("namespace holder did not start");
  close(ready[0]);
  return pid;
}

// As root: become `user` but keep CAP_SYS_ADMIN long enough to setns() into
// the holder's namespace.
void JoinForeignNamespace(const HostUser& user, pid_t holder) {
  int ns = open(("/proc/" + std::to_string(holder) + "/ns/user").c_str(), O_RDONLY | O_CLOEXEC);
  if (ns < 0) _exit(123);
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) _exit(123);
  BecomeUser(user);
  cap_t caps = cap_get_proc();
  cap_value_t admin = CAP_SYS_ADMIN;
  if (caps == nullptr || cap_set_flag(caps, CAP_EFFECTIVE, 1, &admin, CAP_SET) != 0 || cap_set_proc(caps) != 0) {
    _exit(123);
  }
  cap_free(caps);
  if (setns(ns, CLONE_NEWUSER) != 0) _exit(124);
  close(ns);
}

std::vector<char*> CStrings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

void BecomeUser(const HostUser& user) {
  if (initgroups(user.name.c_str(), user.gid) != 0 || setresgid(user.gid, user.gid, user.gid) != 0 ||
      setresuid(user.uid, user.uid, user.uid) != 0) {
    _exit(120);
  }
}

IdmapUsers EnsureIdmapUsers() { return {EnsureUser("uxct-idmap-a"), EnsureUser("uxct-idmap-b")}; }

std::string DefaultSubidText(const IdmapUsers& users) {
  return users.a.name + ":" + std::to_string(kSubStartA) + ":" + std::to_string(kSubCount) + "\n" + users.b.name +
         ":" + std::to_string(kSubStartB) + ":" + std::to_string(kSubCount) + "\n";
}

std::unique_ptr<Target> Target::Start(const HostUser& user, Namespace ns) {
  std::unique_ptr<Target> target(new Target());
  if (ns == Namespace::kForeign) target->holder_ = StartNamespaceHolder();
  int commands[2], replies[2];
  if (pipe2(commands, O_CLOEXEC) != 0 || pipe2(replies, O_CLOEXEC) != 0) Fatal("pipe2");
  pid_t pid = fork();
  if (pid < 0) Fatal("fork");
  if (pid == 0) {
    // The target keeps none of the test's fds: a copy of a pipe's write end
    // (a helper's stderr, a wait:N pipe) would keep that pipe from ending.
    int low = std::min(commands[0], replies[1]), high = std::max(commands[0], replies[1]);
    close_range(3, low - 1, 0);
    close_range(low + 1, high - 1, 0);
    close_range(high + 1, ~0U, 0);
    if (ns == Namespace::kForeign) {
      JoinForeignNamespace(user, target->holder_);
    } else {
      BecomeUser(user);
    }
    // Changing credentials made the process non-dumpable; a user's own
    // process normally is dumpable (it exec'd a program as itself).
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) _exit(125);
    if (ns == Namespace::kNew && unshare(CLONE_NEWUSER) != 0) _exit(126);
    ServeCommands(commands[0], replies[1]);
  }
  close(commands[0]);
  close(replies[1]);
  target->pid_ = pid;
  target->command_fd_ = commands[1];
  target->reply_fd_ = replies[0];
  char ready;
  if (!ReadFull(target->reply_fd_, &ready, 1)) {
    int status = 0;
    waitpid(pid, &status, 0);
    errno = 0;
    Fatal("target process did not start, exit status " + std::to_string(WEXITSTATUS(status)));
  }
  return target;
}

Target::~Target() {
  Stop();
  if (holder_ > 0) {
    kill(holder_, SIGKILL);
    waitpid(holder_, nullptr, 0);
  }
}

void Target::Stop() {
  if (pid_ <= 0) return;
  close(command_fd_);
  close(reply_fd_);
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string Target::UidMap() const { return ReadProcFile(pid_, "uid_map"); }
std::string Target::GidMap() const { return ReadProcFile(pid_, "gid_map"); }
std::string Target::Setgroups() const { return ReadProcFile(pid_, "setgroups"); }

int Target::Command(char command) {
  WriteFull(command_fd_, &command, 1);
  int result = -1;
  if (!ReadFull(reply_fd_, &result, sizeof result)) Fatal("target did not answer");
  return result;
}

int Target::TrySetgroups() { return Command('s'); }
int Target::TryNestedUserns() { return Command('n'); }

CommandResult RunHelperAs(const HostUser& user, const std::string& binary, const std::vector<std::string>& args,
                          const HelperOptions& options) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) Fatal("pipe2");
  pid_t pid = fork();
  if (pid < 0) Fatal("fork");
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0 || dup2(null, 0) != 0 || dup2(out[1], 1) != 1 || dup2(err[1], 2) != 2) _exit(127);
    for (int fd : options.pass_fds) {
      if (fcntl(fd, F_SETFD, 0) != 0) _exit(127);
    }
    for (int i = 0; i < options.inherited_fds; ++i) {
      if (open("/dev/null", O_RDONLY) < 0) _exit(127);
    }
    if (options.as_root_before_exec) options.as_root_before_exec();
    BecomeUser(user);
    if (options.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(127);
    if (options.close_stdin) close(0);
    if (options.close_stdout) close(1);
    if (options.close_stderr) close(2);
    std::vector<std::string> argv_strings = {binary};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    auto argv = CStrings(argv_strings);
    auto envp = CStrings(options.env);
    char* empty[] = {nullptr};
    execve(binary.c_str(), options.empty_argv ? empty : argv.data(), envp.data());
    _exit(127);
  }
  close(out[1]);
  close(err[1]);
  CommandResult result;
  int fds[2] = {out[0], err[0]};
  time_t deadline = time(nullptr) + 60;
  while ((fds[0] >= 0 || fds[1] >= 0) && time(nullptr) < deadline) {
    pollfd polled[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    if (poll(polled, 2, 200) < 0 && errno != EINTR) Fatal("poll");
    for (int i = 0; i < 2; ++i) {
      if (fds[i] < 0 || !(polled[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buffer[4096];
      ssize_t n = read(fds[i], buffer, sizeof buffer);
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(n));
      } else {
        close(fds[i]);
        fds[i] = -1;
      }
    }
  }
  for (int fd : fds) {
    if (fd >= 0) {
      kill(pid, SIGKILL);
      close(fd);
    }
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) Fatal("waitpid");
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

std::string OurHelper(bool uid) { return InstalledBinary(uid ? "uxc-newuidmap" : "uxc-newgidmap"); }

std::string ShadowHelper(bool uid) { return uid ? "/usr/bin/newuidmap" : "/usr/bin/newgidmap"; }

void IdmapHostTest::SetUp() {
  users_ = EnsureIdmapUsers();
  subuid_ = std::make_unique<ScopedHostFile>("/etc/subuid", DefaultSubidText(users_));
  subgid_ = std::make_unique<ScopedHostFile>("/etc/subgid", DefaultSubidText(users_));
}

CommandResult IdmapHostTest::RunOn(const std::string& helper, const Target& target, const std::string& words,
                                   const HelperOptions& options) {
  std::vector<std::string> args = {std::to_string(target.pid())};
  for (std::string& word : Words(words)) args.push_back(std::move(word));
  return RunHelperAs(users_.a, helper, args, options);
}

std::string MarkerLibrary() {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) Fatal("readlink /proc/self/exe");
  std::string built = std::string(exe, static_cast<size_t>(n)) + ".runfiles/uxc/tests/integration/libidmap_marker.so";
  std::string copy = SharedTempDir() + "/libidmap_marker.so";
  if (Run({"/bin/cp", built, copy}).exit_code != 0) Fatal("copy " + built);
  chmod(copy.c_str(), 0755);
  return copy;
}

bool PreloadWritesMarker(const HostUser& user, const HelperOptions& options, const std::string& marker) {
  chmod(SharedTempDir().c_str(), 0777);  // the user creates the marker there
  unlink(marker.c_str());
  CommandResult control = RunHelperAs(user, "/bin/true", {}, options);
  bool written = control.exit_code == 0 && access(marker.c_str(), F_OK) == 0;
  unlink(marker.c_str());
  return written;
}

std::string MapLine(uint32_t inside, uint32_t outside, uint32_t count) {
  char line[64];
  std::snprintf(line, sizeof line, "%10u %10u %10u\n", inside, outside, count);
  return line;
}

std::string OurCombinedHelper() { return InstalledBinary("uxc-newidmap"); }

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  for (std::string_view field : config::SplitFields(text)) words.emplace_back(field);
  return words;
}

namespace {

// Created on first use, removed when the test binary exits.
struct TempDir {
  TempDir() {
    char templ[] = "/var/tmp/uxc-idmap-test.XXXXXX";
    if (mkdtemp(templ) == nullptr) Fatal("mkdtemp");
    chmod(templ, 0755);
    path = templ;
  }
  ~TempDir() {
    if (getpid() == owner) std::system(("rm -rf '" + path + "'").c_str());
  }
  std::string path;
  pid_t owner = getpid();
};

}  // namespace

std::string SharedTempDir() {
  static TempDir dir;
  return dir.path;
}

}  // namespace uxc::testing

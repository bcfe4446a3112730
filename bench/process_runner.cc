#include "bench/process_runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace uxc::bench {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "bench_timer: %s\n", what.c_str());
  std::exit(1);
}

sigset_t ChildSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  return set;
}

// Runs in the forked child: nothing here may return.
[[noreturn]] void ExecAs(const BenchUser& user, const Command& command, int output_fd) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // the mask survives exec
  int null_fd = open("/dev/null", O_RDONLY);
  if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(output_fd, 1) < 0 || dup2(output_fd, 2) < 0) _exit(126);
  if (!command.as_root &&
      (setgroups(user.groups.size(), user.groups.data()) != 0 || setresgid(user.gid, user.gid, user.gid) != 0 ||
       setresuid(user.uid, user.uid, user.uid) != 0)) {
    _exit(125);
  }
  if (chdir("/tmp") != 0) _exit(124);
  sched_param param{0};
  if (command.normal_policy && sched_setscheduler(0, SCHED_OTHER, &param) != 0) _exit(123);
  std::string home = "HOME=" + user.home, name = "USER=" + user.name, logname = "LOGNAME=" + user.name;
  char* envp[] = {const_cast<char*>("PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"), home.data(), name.data(),
                  logname.data(), const_cast<char*>("SHELL=/bin/sh"), nullptr};
  std::vector<char*> argv;
  for (const std::string& arg : command.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  execvpe(argv[0], argv.data(), envp);
  _exit(127);
}

}  // namespace

BenchUser LookUpUser(const std::string& name) {
  struct passwd* pw = getpwnam(name.c_str());
  if (pw == nullptr) Die("no user " + name);
  BenchUser user{pw->pw_uid, pw->pw_gid, std::vector<gid_t>(64), name, pw->pw_dir};
  int count = static_cast<int>(user.groups.size());
  if (getgrouplist(name.c_str(), user.gid, user.groups.data(), &count) < 0) Die("getgrouplist " + name);
  user.groups.resize(static_cast<size_t>(count));
  return user;
}

pid_t Spawn(const BenchUser& user, const Command& command, int output_fd) {
  pid_t pid = fork();
  if (pid < 0) Die(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) ExecAs(user, command, output_fd);
  return pid;
}

double NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double ChildrenCpuMs() {
  rusage usage;
  getrusage(RUSAGE_CHILDREN, &usage);
  auto ms = [](const timeval& tv) { return tv.tv_sec * 1e3 + tv.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// SIGCHLD stays blocked in the timer, so a child that exits between the
// non-blocking wait and sigtimedwait leaves it pending: no lost wake-up.
pid_t WaitAnyChild(double deadline_ms, int* status, rusage* usage) {
  const sigset_t child_signal = ChildSignal();
  for (;;) {
    pid_t pid = wait4(-1, status, WNOHANG, usage);
    if (pid > 0) return pid;
    if (pid < 0 && errno == ECHILD) return -1;
    if (pid < 0 && errno != EINTR) Die(std::string("wait4: ") + std::strerror(errno));
    double left = deadline_ms - NowMs();
    if (left <= 0) return 0;
    timespec timeout{static_cast<time_t>(left / 1e3), static_cast<long>(std::fmod(left, 1e3) * 1e6)};
    sigtimedwait(&child_signal, nullptr, &timeout);
  }
}

std::set<pid_t> LiveChildren() {
  std::set<pid_t> children;
  std::ifstream list("/proc/self/task/" + std::to_string(getpid()) + "/children");
  pid_t pid;
  while (list >> pid) children.insert(pid);
  return children;
}

ProcessMemory ReadMemory(pid_t pid) {
  ProcessMemory memory{pid, "", 0, 0};
  std::string dir = "/proc/" + std::to_string(pid);
  std::getline(std::ifstream(dir + "/comm"), memory.comm);
  auto field = [](const std::string& path, const std::string& key) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind(key, 0) == 0) return std::atol(line.c_str() + key.size());
    }
    return 0L;
  };
  memory.rss_kib = field(dir + "/status", "VmRSS:");
  memory.pss_kib = field(dir + "/smaps_rollup", "Pss:");
  return memory;
}

void BecomeReaper() {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) Die("PR_SET_CHILD_SUBREAPER");
  const sigset_t child_signal = ChildSignal();
  sigprocmask(SIG_BLOCK, &child_signal, nullptr);
}

}  // namespace uxc::bench

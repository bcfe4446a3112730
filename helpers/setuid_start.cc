#include "helpers/setuid_start.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace uxc::helpers {
namespace {

// Ensures fds 0-2 are open; a caller that closes them could otherwise make the
// helper's own files (the uid_map fd) its stdout or stderr.
bool OpenStandardFds() {
  for (int fd = 0; fd <= 2; ++fd) {
    if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    // open() returns the lowest free fd, which is `fd`.
    int opened = open("/dev/null", O_RDWR | O_NOCTTY);
    if (opened != fd) return false;
  }
  return true;
}

bool CloseInheritedFds(std::vector<int> keep) {
  keep.erase(std::remove_if(keep.begin(), keep.end(), [](int fd) { return fd < 3; }), keep.end());
  std::sort(keep.begin(), keep.end());
  unsigned first = 3;
  for (int fd : keep) {
    if (static_cast<unsigned>(fd) > first && close_range(first, fd - 1, 0) != 0) return false;
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 && errno != EBADF) return false;
    first = static_cast<unsigned>(fd) + 1;
  }
  return close_range(first, ~0U, 0) == 0;
}

bool NoNewPrivsWasSet() { return prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1; }

std::string OwnPath() {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n <= 0) return "the helper";
  return std::string(path, static_cast<size_t>(n));
}

[[noreturn]] void ExitNotSetuid(const char* program) {
  std::string path = OwnPath();
  if (NoNewPrivsWasSet()) {
    Exit(program, WithHint(PlainError("the caller set no_new_privs (e.g. systemd NoNewPrivileges=, a container "
                                      "runtime), so the kernel ignored the setuid bit of " + path),
                           "run it from a session without no_new_privs"));
  }
  Exit(program, WithHint(PlainError(path + " is not running setuid root (effective uid " +
                                    std::to_string(geteuid()) + ")"),
                         "ask root to run `chown root:root " + path + " && chmod 4755 " + path +
                             "` and to check that its file system is not mounted nosuid"));
}

// Sets the permitted set to `permitted` and the effective set to `effective`
// (a subset of it).
Status SetCapabilities(const std::vector<cap_value_t>& permitted, const std::vector<cap_value_t>& effective = {}) {
  cap_t caps = cap_init();
  if (caps == nullptr) return ErrnoError("cap_init");
  Status status = OkStatus();
  auto set = [&](cap_flag_t flag, const std::vector<cap_value_t>& values) {
    if (!values.empty() && cap_set_flag(caps, flag, static_cast<int>(values.size()), values.data(), CAP_SET) != 0) {
      status = ErrnoError("cap_set_flag");
    }
  };
  set(CAP_PERMITTED, permitted);
  set(CAP_EFFECTIVE, effective);
  if (status.ok() && cap_set_proc(caps) != 0) status = ErrnoError("set capabilities");
  cap_free(caps);
  return status;
}

Result<std::vector<cap_value_t>> PermittedCapabilities() {
  cap_t caps = cap_get_proc();
  if (caps == nullptr) return ErrnoError("read capabilities");
  std::vector<cap_value_t> permitted;
  for (cap_value_t cap = 0; cap <= CAP_LAST_CAP; ++cap) {
    cap_flag_value_t value = CAP_CLEAR;
    if (cap_get_flag(caps, cap, CAP_PERMITTED, &value) == 0 && value == CAP_SET) permitted.push_back(cap);
  }
  cap_free(caps);
  return permitted;
}

constexpr char kRaiseFileLimit[] =
    "raise it with `ulimit -n 1024` (from a new shell if this one lowered its hard limit, `ulimit -Hn`)";

// The caller's limits are its own to set; a helper raises only the soft
// limit, within the hard one, and says what to do when that is not enough.
void EnsureOpenFileBudget(const char* program) {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= kFdsNeeded) return;
  if (limit.rlim_max >= kFdsNeeded) {
    limit.rlim_cur = kFdsNeeded;
    if (setrlimit(RLIMIT_NOFILE, &limit) == 0) return;
  }
  Exit(program, WithHint(PlainError("your open-file limit (`ulimit -n`) is " + std::to_string(limit.rlim_max) +
                                    ", below the " + std::to_string(kFdsNeeded) + " open files " + program + " needs"),
                         kRaiseFileLimit));
}

}  // namespace

std::string OpenFileLimitHint(int open_errno) {
  if (open_errno == ENFILE) {
    return "the system's open-file table is full: close some programs, or ask root to raise fs.file-max";
  }
  return std::string("your open-file limit is too low: ") + kRaiseFileLimit;
}

void Exit(const char* program, const Error& error, int code) {
  std::string lines = PrefixedLines(program, error);
  // One write, so concurrent helpers' messages don't interleave. Nothing to do
  // if stderr is gone.
  ssize_t ignored = write(STDERR_FILENO, lines.data(), lines.size());
  (void)ignored;
  _exit(code);
}

void Exit(const char* program, const std::string& message, int code) { Exit(program, PlainError(message), code); }

Caller StartSetuid(const char* program, const std::vector<int>& keep_fds) {
  if (!OpenStandardFds()) _exit(1);  // no stderr to explain on
  if (!CloseInheritedFds(keep_fds)) Exit(program, ErrnoError("close inherited fds"));
  EnsureOpenFileBudget(program);
  if (clearenv() != 0 || setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1) != 0) {
    Exit(program, "clear the environment: out of memory");
  }
  umask(022);
  if (geteuid() != 0) ExitNotSetuid(program);
  // A setuid exec already made the process non-dumpable; a root caller's exec
  // did not.
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) Exit(program, ErrnoError("prctl"));
  return Caller{getuid(), getgid()};
}

Status DropToCaller(const Caller& caller, const std::vector<cap_value_t>& capabilities) {
  // capabilities(7): with PR_SET_KEEPCAPS the permitted set survives the switch
  // away from uid 0; the effective set is cleared by it.
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return ErrnoError("prctl(PR_SET_KEEPCAPS)");
  if (setresuid(caller.uid, caller.uid, caller.uid) != 0) {
    return ErrnoError("switch to uid " + std::to_string(caller.uid));
  }
  if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) return ErrnoError("prctl(PR_SET_KEEPCAPS)");
  UXC_RETURN_IF_ERROR(SetCapabilities(capabilities));
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) return ErrnoError("clear ambient capabilities");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return ErrnoError("prctl(PR_SET_NO_NEW_PRIVS)");
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return ErrnoError("prctl(PR_SET_DUMPABLE)");
  uid_t real, effective, saved;
  if (getresuid(&real, &effective, &saved) != 0 || real != caller.uid || effective != caller.uid ||
      saved != caller.uid) {
    return PlainError("uid switch to " + std::to_string(caller.uid) + " did not take effect");
  }
  return OkStatus();
}

Status DropPermitted(const std::vector<cap_value_t>& capabilities) {
  UXC_ASSIGN_OR_RETURN(auto permitted, PermittedCapabilities());
  std::erase_if(permitted, [&](cap_value_t cap) {
    return std::find(capabilities.begin(), capabilities.end(), cap) != capabilities.end();
  });
  return SetCapabilities(permitted);
}

Result<RaisedCapabilities> RaisedCapabilities::Raise(const std::vector<cap_value_t>& wanted) {
  UXC_ASSIGN_OR_RETURN(auto permitted, PermittedCapabilities());
  std::vector<cap_value_t> effective;
  for (cap_value_t cap : wanted) {
    if (std::find(permitted.begin(), permitted.end(), cap) != permitted.end()) effective.push_back(cap);
  }
  UXC_RETURN_IF_ERROR(SetCapabilities(permitted, effective));
  RaisedCapabilities raised;
  raised.raised_ = true;
  return raised;
}

Status RaisedCapabilities::Lower() {
  if (!raised_) return OkStatus();
  raised_ = false;
  UXC_ASSIGN_OR_RETURN(auto permitted, PermittedCapabilities());
  return SetCapabilities(permitted);
}

RaisedCapabilities::~RaisedCapabilities() {
  // A failure to lower leaves only the permitted capabilities effective; the
  // helpers exit right after their privileged step either way.
  Status ignored = Lower();
  (void)ignored;
}

}  // namespace uxc::helpers

// A setuid process that dropped to the caller's uid is not dumpable, so
// LeakSanitizer's ptrace-based exit check cannot attach and would turn every
// exit into a failure. Only compiled into sanitizer builds.
#if defined(__SANITIZE_ADDRESS__)
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }
#endif
#endif

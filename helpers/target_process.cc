#include "helpers/target_process.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "helpers/pid_pipe.h"

namespace uxc::helpers {
namespace {

Result<std::string> ReadSmallFileAt(int dir, const char* name) {
  UniqueFd fd(openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY));
  if (!fd) return ErrnoError(std::string("open ") + name);
  std::string text;
  char buffer[4096];
  while (text.size() < 65536) {
    ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(std::string("read ") + name);
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  return text;
}

// The whitespace-separated values after "Key:" in a /proc status-style text.
std::vector<std::string> FieldValues(const std::string& text, const std::string& key) {
  std::vector<std::string> values;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + at, end - at);
    at = end + 1;
    if (!line.starts_with(key + ":")) continue;
    line.remove_prefix(key.size() + 1);
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
      if (i > start) values.emplace_back(line.substr(start, i - start));
    }
    break;
  }
  return values;
}

std::optional<long> FieldNumber(const std::string& text, const std::string& key) {
  auto values = FieldValues(text, key);
  if (values.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long value = strtol(values[0].c_str(), &end, 10);
  if (errno != 0 || end == values[0].c_str() || *end != '\0') return std::nullopt;
  return value;
}

bool IsProcfs(int fd) {
  struct statfs fs;
  return fstatfs(fd, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
}

int PidfdSendSignal(int pidfd, int signal) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

// A live process the caller may not signal: it runs as someone else.
Error NotYours(const TargetProcess& target) {
  auto status = ReadSmallFileAt(target.proc_dir.get(), "status");
  auto uids = status.ok() ? FieldValues(*status, "Uid") : std::vector<std::string>();
  std::string whose = uids.empty() ? "another user" : "uid " + uids[0];
  return PlainError(target.label + " is not yours: it runs as " + whose + ", not as you (uid " +
                    std::to_string(getuid()) + "): you may map only your own processes");
}

Result<TargetProcess> OpenProcDir(pid_t pid) {
  std::string path = "/proc/" + std::to_string(pid);
  UniqueFd dir(open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  if (!dir) {
    if (errno == ENOENT) return PlainError("process " + std::to_string(pid) + " does not exist");
    return ErrnoError("open " + path);
  }
  if (!IsProcfs(dir.get())) return WithHint(PlainError(path + " is not on procfs"), "ask root to mount /proc");
  return TargetProcess{std::move(dir), pid, "process " + std::to_string(pid)};
}

// fd:N naming a pidfd: its fdinfo tells the pid (proc(5), "Pid:" field).
Result<TargetProcess> OpenFromPidfd(int pidfd, const std::string& fdinfo) {
  std::string name = "fd:" + std::to_string(pidfd);
  auto pid = FieldNumber(fdinfo, "Pid");
  if (!pid || *pid == -1) return PlainError("the process of pidfd " + name + " has exited");
  if (*pid <= 0) return PlainError("the process of pidfd " + name + " is not in this pid namespace");
  UXC_ASSIGN_OR_RETURN(auto target, OpenProcDir(static_cast<pid_t>(*pid)));
  target.label += " (" + name + ")";
  // The directory was opened before this check: if the pidfd's process is
  // still alive now, its pid was never free, so the directory is that process.
  if (PidfdSendSignal(pidfd, 0) != 0) {
    if (errno == ESRCH) return PlainError("the process of pidfd " + name + " has exited");
    // kill(2): EPERM means it lives but the caller may not signal it.
    if (errno == EPERM) return NotYours(target);
    return ErrnoError("signal the process of pidfd " + name);
  }
  return target;
}

Result<TargetProcess> OpenFromFd(int fd) {
  std::string name = "fd:" + std::to_string(fd);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    if (errno == EBADF) return PlainError(name + " is not an open file descriptor: pass an open /proc/PID directory or pidfd");
    return ErrnoError("stat " + name);
  }
  if (S_ISDIR(st.st_mode) && IsProcfs(fd)) {
    UniqueFd dir(fcntl(fd, F_DUPFD_CLOEXEC, 3));
    if (!dir) return ErrnoError("dup " + name);
    auto status = ReadSmallFileAt(dir.get(), "status");
    if (!status.ok()) {
      if (status.error().errno_value == ESRCH || status.error().errno_value == ENOENT) {
        if (PidfdSendSignal(dir.get(), 0) != 0 && errno == ESRCH) {
          return PlainError("the process of " + name + " has exited");
        }
        return PlainError(name + " is not a /proc/PID directory");
      }
      return Annotate(status.take_error(), name);
    }
    auto pid = FieldNumber(*status, "Pid");
    if (!pid) return PlainError(name + " is not a /proc/PID directory");
    return TargetProcess{std::move(dir), static_cast<pid_t>(*pid), "process " + std::to_string(*pid) + " (" + name + ")"};
  }
  auto fdinfo = ReadSmallFileAt(AT_FDCWD, ("/proc/self/fdinfo/" + std::to_string(fd)).c_str());
  if (fdinfo.ok() && !FieldValues(*fdinfo, "Pid").empty()) return OpenFromPidfd(fd, *fdinfo);
  return PlainError(name + " is neither a /proc/PID directory nor a pidfd");
}

bool SameFile(int a, int b) {
  struct stat sa, sb;
  return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

Status CheckUids(const TargetProcess& target, const Caller& caller) {
  auto status = ReadSmallFileAt(target.proc_dir.get(), "status");
  if (!status.ok()) {
    if (PidfdSendSignal(target.proc_dir.get(), 0) != 0 && errno == ESRCH) {
      return PlainError(target.label + " has exited");
    }
    return Annotate(status.take_error(), target.label);
  }
  auto uids = FieldValues(*status, "Uid");
  if (uids.size() != 4) return PlainError(target.label + ": unexpected Uid line in its status file");
  for (const std::string& uid : uids) {
    if (uid != std::to_string(caller.uid)) {
      return PlainError(target.label + " is not yours: it runs as uid " + uid + ", not as you (uid " +
                        std::to_string(caller.uid) +
                        "): you may map only your own processes");
    }
  }
  return OkStatus();
}

}  // namespace

Result<TargetProcess> OpenTarget(const TargetSpec& spec) {
  if (spec.fd >= 0) return OpenFromFd(spec.fd);
  if (spec.wait_fd >= 0) {
    // From here on, exactly what a pid on the command line gets.
    UXC_ASSIGN_OR_RETURN(auto pid, ReadPidFromPipe(spec.wait_fd));
    return OpenProcDir(pid);
  }
  return OpenProcDir(spec.pid);
}

Status CheckTargetBelongsTo(const TargetProcess& target, const Caller& caller) {
  UXC_RETURN_IF_ERROR(CheckUids(target, caller));
  UniqueFd ns(openat(target.proc_dir.get(), "ns/user", O_RDONLY | O_CLOEXEC));
  if (!ns) {
    if (errno == EACCES || errno == EPERM) {
      return PlainError("may not inspect the user namespace of " + target.label +
                        ": it is not dumpable (it changed credentials or ran a setuid program), or its namespace is not yours");
    }
    if (errno == ESRCH || errno == ENOENT) return PlainError(target.label + " has exited");
    return ErrnoError("open the user namespace of " + target.label);
  }
  UniqueFd own(open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC));
  if (!own) return ErrnoError("open /proc/self/ns/user");
  if (SameFile(ns.get(), own.get())) {
    return PlainError(target.label + " is still in your user namespace: it must unshare(CLONE_NEWUSER) first");
  }
  UniqueFd parent(ioctl(ns.get(), NS_GET_PARENT));
  if (!parent || !SameFile(parent.get(), own.get())) {
    return PlainError("the user namespace of " + target.label +
                      " is not a direct child of yours: map it from its parent namespace");
  }
  uid_t owner = 0;
  if (ioctl(ns.get(), NS_GET_OWNER_UID, &owner) != 0) return ErrnoError("NS_GET_OWNER_UID on " + target.label);
  if (owner != caller.uid) {
    return PlainError("the user namespace of " + target.label + " belongs to uid " + std::to_string(owner) +
                      ", not to you (uid " + std::to_string(caller.uid) + "): map only namespaces you created");
  }
  return OkStatus();
}

Status CheckNotMapped(const TargetProcess& target, IdKind kind) {
  const char* file = kind == IdKind::kUid ? "uid_map" : "gid_map";
  auto map = ReadSmallFileAt(target.proc_dir.get(), file);
  if (!map.ok()) return Annotate(map.take_error(), target.label);
  if (!map->empty()) {
    return PlainError(target.label + " already has a " + file +
                      " (the kernel accepts one write only): map a new namespace");
  }
  return OkStatus();
}

Status CheckTargetAlive(const TargetProcess& target) {
  if (PidfdSendSignal(target.proc_dir.get(), 0) == 0) return OkStatus();
  if (errno == ESRCH) return PlainError(target.label + " has exited");
  if (errno == EPERM) return NotYours(target);
  return ErrnoError("check that " + target.label + " is alive");
}

}  // namespace uxc::helpers

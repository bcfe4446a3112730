#include "helpers/netns_target.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "base/text.h"
#include "helpers/target_process.h"

namespace uxc::helpers {
namespace {

bool IsNetns(int fd) {
  struct statfs fs;
  return fstatfs(fd, &fs) == 0 && fs.f_type == NSFS_MAGIC && ioctl(fd, NS_GET_NSTYPE) == CLONE_NEWNET;
}

bool SameFile(int a, int b) {
  struct stat sa, sb;
  return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

Error NotYours(const std::string& label, const std::string& why) {
  return PlainError(label + " is not yours (" + why +
                    "): give the pid of a container you started, whose user namespace you created");
}

}  // namespace

Result<TargetNetns> OpenTargetNetns(const TargetSpec& spec) {
  if (spec.fd >= 0) {
    struct statfs fs;
    if (fstatfs(spec.fd, &fs) == 0 && fs.f_type == NSFS_MAGIC) {
      std::string label = "the namespace of fd:" + std::to_string(spec.fd);
      if (!IsNetns(spec.fd)) return PlainError(label + " is not a network namespace");
      UniqueFd fd(fcntl(spec.fd, F_DUPFD_CLOEXEC, 3));
      if (!fd) return ErrnoError("dup fd:" + std::to_string(spec.fd));
      return TargetNetns{std::move(fd), "the network namespace of fd:" + std::to_string(spec.fd)};
    }
  }
  UXC_ASSIGN_OR_RETURN(auto process, OpenTarget(spec));
  std::string label = "the network namespace of " + process.label;
  UniqueFd fd(openat(process.proc_dir.get(), "ns/net", O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == EACCES || errno == EPERM) return NotYours(label, "you may not open it: the process is not yours");
    if (errno == ESRCH || errno == ENOENT) return PlainError(process.label + " has exited");
    return ErrnoError("open " + label);
  }
  if (!IsNetns(fd.get())) return PlainError(label + " is not a network namespace");
  return TargetNetns{std::move(fd), label};
}

Result<TargetNetns> OpenNetnsPath(const std::string& path) {
  Error same = PlainError(Quoted(path, 200) +
                          " is not a network namespace you can open: give /proc/PID/ns/net of a process in "
                          "your container");
  UniqueFd handle(open(path.c_str(), O_PATH | O_CLOEXEC));
  struct statfs fs;
  if (!handle || fstatfs(handle.get(), &fs) != 0 || fs.f_type != NSFS_MAGIC) return same;
  std::string reopen = "/proc/self/fd/" + std::to_string(handle.get());
  UniqueFd fd(open(reopen.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd || !IsNetns(fd.get())) return same;
  return TargetNetns{std::move(fd), "the network namespace " + Quoted(path, 200)};
}

Status CheckNetnsIsCallers(const TargetNetns& netns, const Caller& caller) {
  UniqueFd own(open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC));
  if (!own) return ErrnoError("open /proc/self/ns/user");
  UniqueFd user_ns(ioctl(netns.fd.get(), NS_GET_USERNS));
  if (!user_ns) return NotYours(netns.label, "its user namespace is outside yours");
  if (SameFile(user_ns.get(), own.get())) {
    return NotYours(netns.label, "it belongs to the host's user namespace, which root owns");
  }
  // Up from the namespace's owner to the helper's own user namespace.
  while (true) {
    uid_t owner = 0;
    if (ioctl(user_ns.get(), NS_GET_OWNER_UID, &owner) != 0) return ErrnoError("NS_GET_OWNER_UID on " + netns.label);
    if (owner != caller.uid) {
      return NotYours(netns.label, "its user namespace belongs to uid " + std::to_string(owner) + ", not to you (uid " +
                                       std::to_string(caller.uid) + ")");
    }
    UniqueFd parent(ioctl(user_ns.get(), NS_GET_PARENT));
    if (!parent) return NotYours(netns.label, "its user namespace is outside yours");
    if (SameFile(parent.get(), own.get())) return OkStatus();
    user_ns = std::move(parent);
  }
}

}  // namespace uxc::helpers

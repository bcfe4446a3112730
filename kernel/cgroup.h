// A cgroup v2 directory, held by an O_PATH directory fd: its files and
// children are reached from that fd (openat, mkdirat, unlinkat), never by a
// path string, so a rename or a symlink race cannot redirect a write. The
// path is kept for messages only. Rules cited from the kernel's
// Documentation/admin-guide/cgroup-v2.rst.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "kernel/cgroup_layout.h"

namespace uxc::kernel {

struct CgroupStats {
  // cpu.stat, which every cgroup has.
  uint64_t cpu_usage_usec = 0;
  uint64_t cpu_user_usec = 0;
  uint64_t cpu_system_usec = 0;
  // Only where the memory and pids controllers are enabled.
  std::optional<uint64_t> memory_current;  // bytes
  std::optional<uint64_t> pids_current;
};

// cgroup.events.
struct CgroupEvents {
  bool populated = false;  // a live process in it or below it
  bool frozen = false;
};

class Cgroup {
 public:
  // The cgroup at `path`, a directory of a cgroup2 mount: the one string
  // path. Anything else (not a directory, not cgroup2) is an error.
  static Result<Cgroup> Open(const std::string& path);

  const std::string& path() const { return path_; }
  // An O_PATH fd of the directory, as clone3's CLONE_INTO_CGROUP takes it.
  int fd() const { return fd_.get(); }

  // `name` is one path component, not "." or "..". OpenChild follows no
  // symlink and crosses no mount point: what it opens is a cgroup of this
  // same cgroup2 mount.
  Result<Cgroup> CreateChild(std::string_view name) const;
  Result<Cgroup> OpenChild(std::string_view name) const;
  // The names of its child cgroups.
  Result<std::vector<std::string>> Children() const;
  // The directory's owner and mode (fstat of the fd).
  Result<struct stat> Stat() const;
  // Delegates the cgroup to a user (cgroup-v2.rst, "Model of Delegation"):
  // chown of the directory and of each of `files` (DelegatableFiles()) that
  // it has, by this fd, following no symlink.
  Status HandOver(uid_t uid, gid_t gid, const std::vector<std::string>& files) const;
  // A child without processes and children of its own (else EBUSY).
  Status RemoveChild(std::string_view name) const;

  // cgroup.controllers: what this cgroup may enable for its children.
  Result<std::vector<std::string>> Controllers() const;
  // cgroup.subtree_control: what is enabled for its children.
  Result<std::vector<std::string>> EnabledForChildren() const;
  // Writes "+NAME ..." to cgroup.subtree_control. A controller this cgroup
  // does not have is an error that names it and says why.
  Status EnableControllers(const std::vector<std::string>& names) const;

  // Writes a controller's knob ("memory.max", "pids.max", "cpu.max") with
  // the value as the kernel takes it. A knob that is missing because its
  // controller is not enabled here is an error that says so.
  Status WriteLimit(std::string_view knob, std::string_view value) const;

  // Moves a process in (cgroup.procs).
  Status AddProcess(pid_t pid) const;
  // The processes in this cgroup itself (cgroup.procs), not below it.
  Result<std::vector<pid_t>> Processes() const;

  Result<CgroupStats> ReadStats() const;
  Result<CgroupEvents> ReadEvents() const;

  // SIGKILL to every process in the subtree, race-free against forks
  // (cgroup.kill, Linux 5.14).
  Status Kill() const;
  // Writes cgroup.freeze and waits, at most `timeout_ms`, until
  // cgroup.events says the subtree is frozen (thawed).
  Status Freeze(int timeout_ms) const;
  Status Thaw(int timeout_ms) const;
  // Waits, at most `timeout_ms`, until no live process is left in the
  // subtree (cgroup.events "populated 0").
  Status WaitUntilEmpty(int timeout_ms) const;

 private:
  Cgroup(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  Result<std::string> ReadFile(std::string_view name) const;
  Status WriteFile(std::string_view name, std::string_view value) const;
  template <typename Done>
  Status WaitForEvents(Done done, std::string_view what, int timeout_ms) const;

  UniqueFd fd_;
  std::string path_;
};

// The files of a cgroup its delegatee may write: /sys/kernel/cgroup/delegate,
// or cgroup.procs, cgroup.threads and cgroup.subtree_control on kernels
// without it (before 4.15).
std::vector<std::string> DelegatableFiles();

// Where the calling process may make cgroups of its own: its own cgroup v2
// (/proc/self/cgroup on the cgroup2 mount of /proc/self/mountinfo), which
// is delegated to it when it may write the directory, cgroup.procs and
// cgroup.subtree_control (the kernel's "Model of Delegation"), judged by
// the real uid, as for a setuid helper's caller. A pam_uxc session leaf
// ("session-N") gives way to the user's node above it when that is
// delegated too.
struct DelegationPoint {
  Cgroup cgroup;
  bool writable = false;
};
Result<DelegationPoint> FindDelegationPoint();
// The caller's layout: /proc/self/mountinfo and /proc/self/cgroup read.
Result<CgroupLayout> ReadCgroupLayout();
// The same for a layout already read (uxc checkconfig shows it).
Result<DelegationPoint> DelegationPointOf(const CgroupLayout& layout);

}  // namespace uxc::kernel

#include "launcher/engine/mounter.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "base/unique_fd.h"

namespace uxc::launcher {
namespace {

constexpr int kSkipped = 1;  // an optional step whose source or target is missing

// "what /target (origin)", errno and hint into the report. Returns -1.
int StepFailure(ChildReport* report, int error, const char* what, const MountStep& step,
                const char* hint = nullptr) {
  Fail(report, error, what, step.target.c_str(), hint);
  if (!step.origin.empty()) {
    AppendText(report->text, sizeof report->text, " (");
    AppendText(report->text, sizeof report->text, step.origin.c_str());
    AppendText(report->text, sizeof report->text, ")");
  }
  return -1;
}

// Splits "/a/b/c" into a NUL-terminated parent "/a/b" and the name "c",
// both in `buffer`. Returns the name, or nullptr when the path is too long
// or has no name.
const char* SplitParent(const char* path, char* buffer, size_t size) {
  size_t length = strlen(path);
  while (length > 1 && path[length - 1] == '/') --length;
  if (length + 1 > size) return nullptr;
  memcpy(buffer, path, length);
  buffer[length] = '\0';
  char* slash = strrchr(buffer, '/');
  if (slash == nullptr) return nullptr;
  if (slash[1] == '\0') return nullptr;
  const char* name = slash + 1;
  if (slash == buffer) {
    // Parent is the root: keep "/" and move the name after it.
    memmove(buffer + 2, name, strlen(name) + 1);
    buffer[1] = '\0';
    return buffer + 2;
  }
  *slash = '\0';
  return name;
}

// Creates every missing directory of `path` (an absolute path in the root).
int MakeDirectories(int root_fd, const char* path, uint64_t resolve) {
  char prefix[PATH_MAX];
  size_t length = strlen(path);
  if (length + 1 > sizeof prefix) {
    errno = ENAMETOOLONG;
    return -1;
  }
  UniqueFd parent(OpenInRoot(root_fd, "/", O_PATH | O_DIRECTORY, resolve));
  if (!parent) return -1;
  size_t at = 0;
  while (at < length) {
    while (at < length && path[at] == '/') ++at;
    size_t end = at;
    while (end < length && path[end] != '/') ++end;
    if (end == at) break;
    memcpy(prefix, path, end);
    prefix[end] = '\0';
    int next = OpenInRoot(root_fd, prefix, O_PATH | O_DIRECTORY, resolve);
    if (next < 0 && errno == ENOENT) {
      char name[NAME_MAX + 1];
      size_t name_length = end - at;
      if (name_length > NAME_MAX) {
        errno = ENAMETOOLONG;
        return -1;
      }
      memcpy(name, path + at, name_length);
      name[name_length] = '\0';
      if (mkdirat(parent.get(), name, 0755) != 0 && errno != EEXIST) return -1;
      next = OpenInRoot(root_fd, prefix, O_PATH | O_DIRECTORY, resolve);
    }
    if (next < 0) return -1;
    parent.Reset(next);
    at = end;
  }
  return 0;
}

uint64_t StepResolve(const MountStep& step) {
  return step.follow_symlinks ? 0 : RESOLVE_NO_SYMLINKS;
}

// Creates the step's missing target (and its parents) as its Create says.
int CreateTarget(int root_fd, const MountStep& step, unsigned mode) {
  char buffer[PATH_MAX];
  const char* name = SplitParent(step.target.c_str(), buffer, sizeof buffer);
  if (name == nullptr) {
    errno = EINVAL;
    return -1;
  }
  uint64_t resolve = StepResolve(step);
  if (MakeDirectories(root_fd, buffer, resolve) != 0) return -1;
  UniqueFd parent(OpenInRoot(root_fd, buffer, O_PATH | O_DIRECTORY, resolve));
  if (!parent) return -1;
  if (step.create == MountStep::Create::kDirectory || step.kind == MountStep::Kind::kDirectory) {
    if (mkdirat(parent.get(), name, mode) != 0) return errno == EEXIST ? 0 : -1;
    // mkdir applies the umask; the plan's mode is meant exactly (1777 /dev/shm).
    return fchmodat(parent.get(), name, mode, 0);
  }
  if (step.kind == MountStep::Kind::kSymlink) {
    if (symlinkat(step.source.c_str(), parent.get(), name) != 0) return errno == EEXIST ? 0 : -1;
    return 0;
  }
  int fd = openat(parent.get(), name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return errno == EEXIST ? 0 : -1;
  close(fd);
  return 0;
}

bool SameInode(int a, int b) {
  struct stat sa, sb;
  return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

// Opens the step's target (O_PATH), creating it first when asked. Returns
// the fd, -1 on failure (report filled), or -2 for a skipped optional step.
int OpenTarget(int root_fd, const MountStep& step, ChildReport* report) {
  uint64_t resolve = StepResolve(step);
  int fd = OpenInRoot(root_fd, step.target.c_str(), O_PATH, resolve);
  if (fd < 0 && errno == ENOENT && step.create != MountStep::Create::kNone) {
    if (CreateTarget(root_fd, step, step.create == MountStep::Create::kDirectory ? 0755 : 0644) !=
        0) {
      return StepFailure(report, errno, "create the mount point", step,
                         errno == EROFS ? "the rootfs is read-only: create the mount point in it "
                                          "beforehand"
                                        : nullptr);
    }
    fd = OpenInRoot(root_fd, step.target.c_str(), O_PATH, resolve);
  }
  if (fd < 0) {
    int error = errno;
    if (error == ENOENT && step.optional) return -2;
    if (error == ELOOP && !step.follow_symlinks) {
      return StepFailure(report, error, "refuse to mount on", step,
                         "the rootfs has a symlink there; uxc mounts only on a real directory "
                         "in that place: replace the symlink with a directory");
    }
    return StepFailure(report, error, "find the mount point", step,
                       error == ENOENT ? "create it in the rootfs or add create=dir (or "
                                         "create=file) to the entry"
                                       : nullptr);
  }
  if (step.target != "/" && SameInode(fd, root_fd)) {
    close(fd);
    return StepFailure(report, EINVAL, "refuse to mount on", step,
                       "the path leads to the container's root directory (a symlink to / or "
                       "..?); mount on a real directory instead");
  }
  return fd;
}

int SetAttributes(int fd, const MountStep& step, uint64_t set, uint64_t clear) {
  if (set == 0 && clear == 0 && step.propagation == 0) return 0;
  mount_attr attr{};
  attr.attr_set = set;
  attr.attr_clr = clear;
  // Changing one atime mode means replacing the whole atime field.
  if (set & MOUNT_ATTR__ATIME) attr.attr_clr |= MOUNT_ATTR__ATIME;
  attr.propagation = step.propagation;
  unsigned flags = AT_EMPTY_PATH | (step.recursive ? AT_RECURSIVE : 0);
  return mount_setattr(fd, "", flags, &attr, sizeof attr);
}

int Attach(int mount_fd, int target_fd) {
  return move_mount(mount_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
}

// Copies the file system context's log ("e overlay: ...") into the hint.
void ReadContextLog(int fs_fd, ChildReport* report) {
  char message[256];
  ssize_t n = read(fs_fd, message, sizeof message - 1);
  if (n <= 0) return;
  message[n] = '\0';
  char* newline = strchr(message, '\n');
  if (newline != nullptr) *newline = '\0';
  report->hint[0] = '\0';
  AppendText(report->hint, sizeof report->hint, "the kernel said: ");
  AppendText(report->hint, sizeof report->hint, message[1] == ' ' ? message + 2 : message);
}

int MountFilesystem(int root_fd, const MountStep& step, ChildReport* report) {
  UniqueFd fs(fsopen(step.fstype.c_str(), FSOPEN_CLOEXEC));
  if (!fs) return StepFailure(report, errno, "open a file system context for", step);
  for (const auto& [key, value] : step.options) {
    int result = value.empty()
                     ? fsconfig(fs.get(), FSCONFIG_SET_FLAG, key.c_str(), nullptr, 0)
                     : fsconfig(fs.get(), FSCONFIG_SET_STRING, key.c_str(), value.c_str(), 0);
    if (result != 0) {
      StepFailure(report, errno, "set a mount option for", step);
      ReadContextLog(fs.get(), report);
      return -1;
    }
  }
  if (fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    StepFailure(report, errno, "create the file system for", step);
    ReadContextLog(fs.get(), report);
    return -1;
  }
  UniqueFd mount(fsmount(fs.get(), FSMOUNT_CLOEXEC, static_cast<unsigned>(step.attributes_set)));
  if (!mount) return StepFailure(report, errno, "mount", step);
  if (step.propagation != 0 && SetAttributes(mount.get(), step, 0, 0) != 0) {
    return StepFailure(report, errno, "set the propagation of", step);
  }
  int target = OpenTarget(root_fd, step, report);
  if (target == -2) return kSkipped;
  if (target < 0) return -1;
  UniqueFd target_fd(target);
  if (Attach(mount.get(), target_fd.get()) != 0)
    return StepFailure(report, errno, "mount on", step);
  return 0;
}

int MountBind(int root_fd, const MountStep& step, ChildReport* report) {
  unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (step.recursive ? AT_RECURSIVE : 0);
  UniqueFd tree;
  if (step.source_in_container) {
    UniqueFd source(OpenInRoot(root_fd, step.source.c_str(), O_PATH));
    if (source) tree.Reset(open_tree(source.get(), "", flags | AT_EMPTY_PATH));
  } else {
    tree.Reset(open_tree(AT_FDCWD, step.source.c_str(), flags));
  }
  if (!tree) {
    int error = errno;
    if (error == ENOENT && step.optional) return kSkipped;
    const char* parts[] = {"bind", step.source.c_str(), "on", step.target.c_str(),
                           "for",  step.origin.c_str()};
    return Fail(report, error, parts, 6,
                error == EINVAL ? "the source has mounts below it that a user namespace may "
                                  "not separate: add rbind to the options"
                                : nullptr);
  }
  if (SetAttributes(tree.get(), step, step.attributes_set, step.attributes_clear) != 0) {
    return StepFailure(report, errno, "set the mount options of the bind mount on", step);
  }
  int target = OpenTarget(root_fd, step, report);
  if (target == -2) return kSkipped;
  if (target < 0) return -1;
  UniqueFd target_fd(target);
  if (Attach(tree.get(), target_fd.get()) != 0) {
    return StepFailure(report, errno, "bind-mount on", step,
                       errno == ENOTDIR || errno == EISDIR
                           ? "the source and the mount point must both be files or both "
                             "directories"
                           : nullptr);
  }
  return 0;
}

int ChangeAttributes(int root_fd, const MountStep& step, ChildReport* report) {
  UniqueFd target(OpenInRoot(root_fd, step.target.c_str(), O_PATH, StepResolve(step)));
  if (!target) {
    if (errno == ENOENT && step.optional) return kSkipped;
    return StepFailure(report, errno, "find the mount", step);
  }
  if (SetAttributes(target.get(), step, step.attributes_set, step.attributes_clear) != 0) {
    return StepFailure(report, errno, "change the mount options of", step);
  }
  return 0;
}

}  // namespace

int OpenInRoot(int root_fd, const char* path, int flags, uint64_t extra_resolve) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags) | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra_resolve;
  // EAGAIN: a concurrent rename raced with a ".." lookup (openat2(2)); retry.
  int fd = -1;
  for (int attempt = 0; attempt < 8; ++attempt) {
    fd = static_cast<int>(syscall(SYS_openat2, root_fd, path, &how, sizeof how));
    if (fd >= 0 || errno != EAGAIN) break;
  }
  return fd;
}

int ApplyMountStep(int root_fd, const MountStep& step, ChildReport* report) {
  switch (step.kind) {
    case MountStep::Kind::kFilesystem:
      return MountFilesystem(root_fd, step, report);
    case MountStep::Kind::kBind:
      return MountBind(root_fd, step, report);
    case MountStep::Kind::kSetAttributes:
      return ChangeAttributes(root_fd, step, report);
    case MountStep::Kind::kDirectory:
    case MountStep::Kind::kSymlink:
      if (CreateTarget(root_fd, step, step.mode) != 0) {
        return StepFailure(report, errno,
                           step.kind == MountStep::Kind::kDirectory ? "create the directory"
                                                                    : "create the symlink",
                           step);
      }
      return 0;
  }
  return 0;
}

int BindFdOnto(int root_fd, int source_fd, const MountStep& step, ChildReport* report) {
  UniqueFd tree(open_tree(source_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH));
  if (!tree) return StepFailure(report, errno, "clone a mount for", step);
  int target = OpenTarget(root_fd, step, report);
  if (target < 0) return target == -2 ? kSkipped : -1;
  UniqueFd target_fd(target);
  if (Attach(tree.get(), target_fd.get()) != 0)
    return StepFailure(report, errno, "bind-mount on", step);
  return 0;
}

int ApplyMountPlan(int root_fd, const MountPlan& plan, ChildReport* report) {
  for (const MountStep& step : plan.steps) {
    if (ApplyMountStep(root_fd, step, report) < 0) return -1;
  }
  return 0;
}

}  // namespace uxc::launcher

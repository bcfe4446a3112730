#include "launcher/engine/rootfs.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <sstream>

#include "base/unique_fd.h"
#include "launcher/engine/config_keys.h"

namespace uxc::launcher {
namespace {

// The tmpfs of an ephemeral rootfs and the rootfs directory (its lower
// layer) are moved to these fd numbers so that the overlay options (built in
// the parent) can name them.
constexpr int kTmpfsFd = 1000;
constexpr int kLowerFd = 1001;

std::string FdPath(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

// Not in this build: a rootfs of another storage type than a directory.
std::string StorageTypeRefused(const std::string& type) {
  return "the storage type \"" + type + "\" is not supported; uxc runs a directory (dir:/path)";
}

std::string StorageTypeLimit(std::string_view, std::string_view value) {
  size_t colon = value.find(':');
  std::string_view type = value.substr(0, colon);
  if (colon == std::string_view::npos || value[0] == '/' || type == "dir") return "";
  return "ignored: uxc runs a directory rootfs only, so a start refuses the " + std::string(type) +
         " storage type; use dir:PATH or PATH";
}

constexpr config::BuildLimit kRootfsLimits[] = {{"lxc.rootfs.path", {}, StorageTypeLimit}};

Result<uint64_t> ParseRootfsOptions(const config::ContainerConfig& config) {
  uint64_t attributes = 0;
  std::istringstream options(config.GetOr("lxc.rootfs.options", ""));
  std::string option;
  while (std::getline(options, option, ',')) {
    if (option.empty() || option == "rw") continue;
    if (option == "ro") {
      attributes |= MOUNT_ATTR_RDONLY;
    } else if (option == "nosuid") {
      attributes |= MOUNT_ATTR_NOSUID;
    } else if (option == "nodev") {
      attributes |= MOUNT_ATTR_NODEV;
    } else if (option == "noexec") {
      attributes |= MOUNT_ATTR_NOEXEC;
    } else if (option.rfind("idmap=", 0) == 0) {
      return KeyError(config, "lxc.rootfs.options",
                      "idmap= needs an idmapped mount, which an unprivileged user cannot make; "
                      "remove it (the rootfs must be owned by the mapped ids, e.g. made with "
                      "uxc create)");
    } else {
      return KeyError(config, "lxc.rootfs.options",
                      "unknown option \"" + option + "\"; uxc knows ro, rw, nosuid, nodev, noexec");
    }
  }
  return attributes;
}

}  // namespace

std::span<const config::BuildLimit> RootfsBuildLimits() { return kRootfsLimits; }

Result<RootfsPlan> PlanRootfs(const config::ContainerConfig& config, bool ephemeral) {
  auto value = config.Get("lxc.rootfs.path");
  if (!value || value->empty()) {
    return PlainError(
        "lxc.rootfs.path is not set: name the container's root directory, e.g. "
        "lxc.rootfs.path = dir:/home/alice/.local/share/uxc/c1/rootfs");
  }
  std::string path = *value;
  if (path.rfind("dir:", 0) == 0) path = path.substr(4);
  size_t colon = path.find(':');
  if (colon != std::string::npos && path[0] != '/') {
    return KeyError(config, "lxc.rootfs.path", StorageTypeRefused(path.substr(0, colon)));
  }
  if (path.empty() || path[0] != '/') {
    return KeyError(config, "lxc.rootfs.path", "must be an absolute path");
  }
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return KeyError(config, "lxc.rootfs.path", ErrnoError("cannot use " + path));
  }
  if (!S_ISDIR(st.st_mode))
    return KeyError(config, "lxc.rootfs.path", path + " is not a directory");
  if (path == "/") {
    return KeyError(config, "lxc.rootfs.path",
                    "the host's / cannot be a container's root; name a rootfs directory");
  }

  RootfsPlan plan;
  plan.path = path;
  UXC_ASSIGN_OR_RETURN(auto attributes, ParseRootfsOptions(config));
  plan.attributes = attributes;
  plan.ephemeral = ephemeral;
  if (ephemeral) {
    plan.overlay_lower = FdPath(kLowerFd);
    plan.overlay_upper = FdPath(kTmpfsFd) + "/upper";
    plan.overlay_work = FdPath(kTmpfsFd) + "/work";
  }
  return plan;
}

namespace {

// The rootfs directory, opened before anything covers its path, as the
// overlay's lower layer at kLowerFd. Returns that fd, or -1.
int OpenLowerLayer(const RootfsPlan& plan, struct stat* lower, ChildReport* report) {
  UniqueFd dir(open(plan.path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir || fstat(dir.get(), lower) != 0 || dup3(dir.get(), kLowerFd, O_CLOEXEC) < 0) {
    return Fail(report, errno, "open the rootfs", plan.path.c_str(), nullptr);
  }
  return kLowerFd;
}

// A new tmpfs holding "upper" (with the owner and mode of `lower`, which the
// merged root takes) and "work", at kTmpfsFd. Returns that fd (a detached
// mount), or -1.
int MakeUpperLayer(const RootfsPlan& plan, const struct stat& lower, ChildReport* report) {
  UniqueFd fs(fsopen("tmpfs", FSOPEN_CLOEXEC));
  if (!fs || fsconfig(fs.get(), FSCONFIG_SET_STRING, "mode", "0755", 0) != 0 ||
      fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    return Fail(report, errno, "create the tmpfs for the ephemeral rootfs");
  }
  UniqueFd tmpfs(fsmount(fs.get(), FSMOUNT_CLOEXEC, 0));
  if (!tmpfs || dup3(tmpfs.get(), kTmpfsFd, O_CLOEXEC) < 0) {
    return Fail(report, errno, "mount the tmpfs for the ephemeral rootfs");
  }
  UniqueFd numbered(kTmpfsFd);
  if (mkdirat(tmpfs.get(), "upper", 0755) != 0 || mkdirat(tmpfs.get(), "work", 0700) != 0 ||
      fchmodat(tmpfs.get(), "upper", lower.st_mode & 07777, 0) != 0) {
    return Fail(report, errno, "create the upper layer of the ephemeral rootfs");
  }
  // An owner that is not mapped in the container (a tree owned by the
  // host's root, say) cannot be given: the root stays the container root's.
  if (fchownat(tmpfs.get(), "upper", lower.st_uid, lower.st_gid, 0) != 0 && errno != EINVAL) {
    return Fail(report, errno, "give the ephemeral rootfs the owner of", plan.path.c_str(),
                nullptr);
  }
  return numbered.Release();
}

// The overlay of an ephemeral root: lower = the rootfs, upper and work on a
// new tmpfs. Mounts the tmpfs on the rootfs's path and the overlay over it;
// the tmpfs goes with the old root at pivot_root, the overlay keeping its
// own clone of it. Returns 0, or -1.
int MountEphemeralRoot(const RootfsPlan& plan, ChildReport* report) {
  struct stat lower;
  UniqueFd lower_fd(OpenLowerLayer(plan, &lower, report));
  if (!lower_fd) return -1;
  UniqueFd tmpfs(MakeUpperLayer(plan, lower, report));
  if (!tmpfs) return -1;
  // Before Linux 6.15 ("fs: allow detached mounts in clone_private_mount()"),
  // overlayfs's clone_private_mount() of the upper layer refuses a mount
  // outside the caller's mount namespace (check_mnt(): EINVAL, dmesg
  // "overlayfs: failed to clone upperpath"), and a detached fsmount() is in
  // an anonymous one: attach the tmpfs first.
  if (move_mount(tmpfs.get(), "", lower_fd.get(), "",
                 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    return Fail(report, errno, "mount the tmpfs of the ephemeral rootfs on", plan.path.c_str(),
                nullptr);
  }

  UniqueFd overlay(fsopen("overlay", FSOPEN_CLOEXEC));
  if (!overlay) return Fail(report, errno, "open an overlay file system for the ephemeral rootfs");
  // lowerdir names the fd opened before the tmpfs covered the path: a
  // /proc/self/fd link leads to the directory itself, not what is mounted on it.
  if (fsconfig(overlay.get(), FSCONFIG_SET_STRING, "lowerdir", plan.overlay_lower.c_str(), 0) !=
          0 ||
      fsconfig(overlay.get(), FSCONFIG_SET_STRING, "upperdir", plan.overlay_upper.c_str(), 0) !=
          0 ||
      fsconfig(overlay.get(), FSCONFIG_SET_STRING, "workdir", plan.overlay_work.c_str(), 0) != 0 ||
      fsconfig(overlay.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    return Fail(report, errno, "create the overlay of the ephemeral rootfs on", plan.path.c_str(),
                "the rootfs must be on a file system that overlayfs accepts as a lower layer");
  }
  UniqueFd mount(fsmount(overlay.get(), FSMOUNT_CLOEXEC, 0));
  if (!mount) return Fail(report, errno, "mount the overlay of the ephemeral rootfs");
  // Onto the top of the path's stack, over the tmpfs.
  if (move_mount(mount.get(), "", lower_fd.get(), "",
                 MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0) {
    return Fail(report, errno, "mount the ephemeral rootfs on", plan.path.c_str(), nullptr);
  }
  return 0;
}

}  // namespace

int MountRootfs(const RootfsPlan& plan, ChildReport* report) {
  if (mount(nullptr, "/", nullptr, MS_SLAVE | MS_REC, nullptr) != 0) {
    return Fail(report, errno, "make the host's mounts slaves in the container's mount namespace");
  }
  if (plan.ephemeral) {
    if (MountEphemeralRoot(plan, report) != 0) return -1;
  } else if (mount(plan.path.c_str(), plan.path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
    return Fail(report, errno, "bind-mount the rootfs", plan.path.c_str(),
                errno == EACCES ? "the container's root must be able to reach the rootfs: "
                                  "give every directory above it x access (chmod o+x), or "
                                  "add an ACL for the container's root"
                                : nullptr);
  }
  int root = open(plan.path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return Fail(report, errno, "open the rootfs", plan.path.c_str(), nullptr);
  return root;
}

int FinishRootfs(int root_fd, const RootfsPlan& plan, ChildReport* report) {
  if (plan.attributes == 0) return 0;
  mount_attr attr{};
  attr.attr_set = plan.attributes;
  if (mount_setattr(root_fd, "", AT_EMPTY_PATH, &attr, sizeof attr) != 0) {
    return Fail(report, errno, "apply lxc.rootfs.options to", plan.path.c_str(), nullptr);
  }
  return 0;
}

int PivotRoot(int root_fd, ChildReport* report) {
  if (fchdir(root_fd) != 0) return Fail(report, errno, "enter the rootfs");
  if (syscall(SYS_pivot_root, ".", ".") != 0)
    return Fail(report, errno, "pivot_root into the rootfs");
  // The old root is now stacked on "."; keep its unmount from reaching the
  // host's mounts, then detach it.
  if (mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) != 0) {
    return Fail(report, errno, "make the old root a slave");
  }
  if (umount2(".", MNT_DETACH) != 0) return Fail(report, errno, "detach the old root");
  if (chdir("/") != 0) return Fail(report, errno, "enter the new root");
  return 0;
}

}  // namespace uxc::launcher

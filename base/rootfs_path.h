// Paths inside a container's root, seen from the host. The root's contents
// belong to the container, which is hostile: any directory in it may be a
// symlink to the user's home by the time uxc looks. So a path under a root
// is never handed to open(2) as a string; it is resolved from a directory fd
// of the root as if that fd were "/" (openat2 RESOLVE_IN_ROOT, or a walk with
// openat/readlinkat one component at a time). See docs/lifecycle.md, "Paths".
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "base/error.h"
#include "base/unique_fd.h"

namespace uxc {

// openat2(root_fd, path, flags | O_CLOEXEC, mode) with RESOLVE_IN_ROOT |
// RESOLVE_NO_MAGICLINKS | `extra_resolve`: ".." and absolute symlinks stop
// at root_fd. Returns the fd or -1 with errno set.
int OpenInRoot(int root_fd, const std::string& path, int flags, mode_t mode = 0, uint64_t extra_resolve = 0);

// Where `path` leads inside the root `root_fd`, as the container would see
// it: a canonical absolute path ("/lib/systemd/systemd") with no symlink,
// "." or ".." left in it. Symlinks are read with readlinkat relative to the
// directory that holds them and never lead above the root; more than 40 of
// them is ELOOP, as for the kernel (path_resolution(7)). Errors name `path`.
Result<std::string> CanonicalPathInRoot(int root_fd, const std::string& path);

// The directory that holds the file `path` names on the host, and the
// file's name in it, for creating or renaming that file by fd (openat,
// renameat). `path` is the user's and is resolved as usual until it reaches
// the directory `rootfs` (another path of the user's; empty: none); from
// there on the rest is resolved inside the root (RESOLVE_IN_ROOT), so a
// symlink the container planted cannot lead out of it.
struct ParentDir {
  UniqueFd dir;      // O_PATH
  std::string name;  // one component, not "." or ".."
};
Result<ParentDir> OpenParentDir(const std::string& path, const std::string& rootfs);

}  // namespace uxc

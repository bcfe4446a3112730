// Opening a log for appending where its directory may lie inside a
// container's root (lxc.console.logfile, lxc.log.file).
#pragma once

#include <string>

#include "base/error.h"
#include "base/rootfs_path.h"
#include "base/unique_fd.h"

namespace uxc {

struct AppendFile {
  UniqueFd fd;         // O_WRONLY | O_APPEND
  ParentDir parent;    // its directory and name, to rotate the file by fd
};

// Opens `path` for appending, creating it 0600. The directory is found with
// OpenParentDir(path, rootfs), so a symlinked directory in the container's
// root cannot lead out of it; the file itself is never a symlink
// (O_NOFOLLOW) and must be a regular file (a FIFO does not block the
// open: O_NONBLOCK). Errors name `what` ("lxc.console.logfile") and `path`.
Result<AppendFile> OpenAppendFile(const std::string& path, const std::string& rootfs, const std::string& what);

// Opens `name` in `dir` for appending as above, for reopening after a rotation.
Result<UniqueFd> OpenAppendAt(int dir, const std::string& name, const std::string& origin);

}  // namespace uxc

// Reading a file that lives inside a container's root, from the host or from
// a process that has entered the container. The container chooses what is
// there: a FIFO that never delivers, /dev/zero, a sparse file of terabytes, a
// symlink to a file of the host. Every such read goes through here.
#pragma once

#include <cstddef>
#include <string>

#include "base/error.h"

namespace uxc {

// Reads `path` inside the root `root_fd` (resolved in that root,
// RESOLVE_IN_ROOT, so no symlink leads out of it), opened O_NONBLOCK |
// O_NOCTTY so that neither a FIFO nor a terminal can hold or adopt us. It
// must be a regular file of at most `max_bytes`, and no more than that is
// read even if it grows meanwhile. Errors name the file as `root_name`
// followed by `path` ("/var/lib/c1/rootfs/etc/passwd: not a regular file
// (a FIFO)"); a missing file keeps errno_value ENOENT.
Result<std::string> ReadRootfsFile(int root_fd, const std::string& root_name, const std::string& path,
                                   size_t max_bytes);

}  // namespace uxc

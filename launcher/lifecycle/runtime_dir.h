// Where a running container's monitor keeps its state file and control
// socket: $XDG_RUNTIME_DIR/uxc/NAME, or, when XDG_RUNTIME_DIR is unset (su,
// cron, CI), /tmp/uxc-UID/NAME. The base directory must be the caller's own,
// mode 0700, and not a symlink: anyone who could write there could answer
// for the container.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.h"

namespace uxc::lifecycle {

struct RuntimePaths {
  std::string dir;     // .../uxc/NAME
  std::string state;   // .../uxc/NAME/state
  std::string socket;  // .../uxc/NAME/control
};

// The base directory for `uid`: $XDG_RUNTIME_DIR/uxc when `xdg_runtime_dir`
// is set, else /tmp/uxc-UID.
std::string RuntimeBase(const std::string& xdg_runtime_dir, uid_t uid);

// The paths of container `name` under `base`.
RuntimePaths PathsFor(const std::string& base, const std::string& name);

// The paths in a container's runtime dir (.../uxc/NAME).
RuntimePaths PathsIn(const std::string& dir);

// Fails unless `path` is a directory (not a symlink) owned by `uid` with no
// access for group or others; the error says whose it is and what to do.
Status CheckPrivateDir(const std::string& path, uid_t uid);

// Creates `path` (mode 0700) when missing, then checks it as above. The
// parent of an $XDG_RUNTIME_DIR/uxc base must exist already.
Status EnsurePrivateDir(const std::string& path, uid_t uid);

// The caller's base directory, created and checked.
Result<std::string> EnsureRuntimeBase();

// Removes the state file, the socket and the container's directory;
// missing files are not an error.
void RemoveRuntimeFiles(const RuntimePaths& paths);

}  // namespace uxc::lifecycle

// Where a running container's monitor keeps its state file and control
// socket: $XDG_RUNTIME_DIR/uxc/NAME when XDG_RUNTIME_DIR is the caller's own
// (owned by them, writable by no one else), else ~/.cache/uxc/run/NAME. No
// other user can create either first, so none can squat it; /tmp, where
// they could, is never used. The base directory must be the caller's own,
// mode 0700, and not a symlink: anyone who could write there could answer
// for the container. The choice and its reasons: docs/lifecycle.md.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.h"
#include "launcher/lifecycle/runtime_paths.h"

namespace uxc::lifecycle {

// Where the runtime dirs of `uid` live, and why.
struct RuntimeBaseChoice {
  std::string base;
  // Set when XDG_RUNTIME_DIR was given but is not the caller's alone: says
  // whose it is and that uxc used `base` instead.
  std::string warning;
};

// $XDG_RUNTIME_DIR/uxc when `xdg_runtime_dir` is a directory (not a
// symlink) owned by `uid` that neither group nor others may write; else
// HOME/.cache/uxc/run. Looks at the file system, changes nothing.
RuntimeBaseChoice ChooseRuntimeBase(const std::string& xdg_runtime_dir, const std::string& home, uid_t uid);

// Fails unless `path` is a directory (not a symlink) owned by `uid` with no
// access for group or others; the error names the owner (the squatter,
// when it is someone else), the path and what to do.
Status CheckPrivateDir(const std::string& path, uid_t uid);

// Creates `path` (mode 0700) when missing, then checks it as above.
Status EnsurePrivateDir(const std::string& path, uid_t uid);

// The caller's base directory (from XDG_RUNTIME_DIR and HOME), created with
// its missing parents and checked. A warning from ChooseRuntimeBase goes
// to stderr once per process.
Result<std::string> EnsureRuntimeBase();

}  // namespace uxc::lifecycle

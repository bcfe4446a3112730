// Reading a small text file (a policy or settings file) whole.
#pragma once

#include <string>

#include "base/error.h"

namespace uxc {

// Reads `fd` from its current offset to the end. Refuses more than
// `max_bytes`: these files are a few lines, and a setuid helper must not be
// made to read /dev/zero.
Result<std::string> ReadSmallFd(int fd, const std::string& origin, size_t max_bytes = 1 << 20);

// Opens `path` read-only (O_CLOEXEC) and reads it; it must be a regular
// file. Errors name the path. A missing file keeps errno_value ENOENT so
// callers can treat it as optional.
Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes = 1 << 20);

}  // namespace uxc

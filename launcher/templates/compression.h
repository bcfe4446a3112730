// Recognises a tarball's compression by its magic bytes, so an archive can be
// handed to tar on a pipe (tar cannot guess the format from a pipe).
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace uxc::templates {

enum class Compression { kNone, kGzip, kXz, kZstd, kBzip2 };

// Looks at the first bytes of a file. Anything unrecognised is kNone: a plain
// tar archive, or garbage that tar itself rejects.
Compression DetectCompression(std::string_view head);

// The GNU tar option that decompresses `c` ("" for kNone).
std::string TarDecompressFlag(Compression c);

// The first bytes of the file open as `fd` (read with pread, offset 0).
Result<std::string> ReadHead(int fd, size_t max_bytes = 8);

}  // namespace uxc::templates

// The small files uxc keeps about a container (the state file, the record of
// the last exit): a version line, then one "key=value" per line. Read with a
// bound on their size, written atomically (a temporary file renamed over
// the old one), mode 0600, never through a symlink.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/text.h"  // ParseNumber, for the values

namespace uxc::lifecycle {

// Calls `apply` for each "key=value" line after `version_line`; an error
// it returns, a missing "=", a wrong version line or a last line without
// its newline becomes "ORIGIN:LINE: what; `what_to_do`". Returns the
// number of lines, the version line's included.
Result<int> ParseKeyValueLines(std::string_view text, const std::string& origin, std::string_view version_line,
                          const std::function<Status(std::string_view key, std::string_view value)>& apply,
                          const std::string& what_to_do);

// At most `limit` bytes of the regular file at `path` (O_NOFOLLOW,
// O_NONBLOCK): a larger file, or one that is not regular, is an error.
Result<std::string> ReadSmallFile(const std::string& path, size_t limit, const std::string& what);

// Writes `text` to `path` through `path`.new and a rename, mode 0600.
Status WriteFileAtomically(const std::string& path, std::string_view text, const std::string& what);

}  // namespace uxc::lifecycle

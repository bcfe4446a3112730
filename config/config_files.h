// Reading config files and include directories: the only I/O of the config
// layer. Only regular files and directories are opened, so an include of a
// device or a FIFO cannot block or trigger a driver.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.h"

namespace uxc::config {

// A file's identity, to detect include cycles through links and "..".
struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  bool operator==(const FileId&) const = default;
};

struct ConfigFile {
  std::string text;
  FileId id;
};

// Config files larger than this are refused; real ones are a few KiB.
inline constexpr size_t kMaxConfigFileSize = 1 << 20;

// Reads a regular file. Errors carry errno (ENOENT for a missing file) and
// the path.
Result<ConfigFile> ReadConfigFile(const std::string& path);

enum class PathKind { kMissing, kFile, kDirectory, kOther };
// stat(2)'s view of `path`, following symlinks.
Result<PathKind> KindOfPath(const std::string& path);

// The regular files in `dir` whose names end in ".conf" (and are longer
// than that), as full paths sorted by name.
Result<std::vector<std::string>> ListConfFiles(const std::string& dir);

}  // namespace uxc::config

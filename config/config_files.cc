#include "config/config_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

#include "base/unique_fd.h"
#include "config/text_util.h"

namespace uxc::config {

Result<PathKind> KindOfPath(const std::string& path) {
  struct stat status;
  if (stat(path.c_str(), &status) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return PathKind::kMissing;
    return ErrnoError("stat " + path);
  }
  if (S_ISREG(status.st_mode)) return PathKind::kFile;
  if (S_ISDIR(status.st_mode)) return PathKind::kDirectory;
  return PathKind::kOther;
}

Result<ConfigFile> ReadConfigFile(const std::string& path) {
  // Checked before open(2): opening a device can have effects of its own.
  UXC_ASSIGN_OR_RETURN(PathKind kind, KindOfPath(path));
  if (kind == PathKind::kMissing) return ErrnoError(ENOENT, "open " + path);
  if (kind != PathKind::kFile) return PlainError(path + " is not a regular file");
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (!fd.valid()) return ErrnoError("open " + path);
  struct stat status;
  if (fstat(fd.get(), &status) != 0) return ErrnoError("stat " + path);
  if (!S_ISREG(status.st_mode)) return PlainError(path + " is not a regular file");
  ConfigFile file;
  file.id = FileId{status.st_dev, status.st_ino};
  char buffer[8192];
  while (true) {
    ssize_t got = read(fd.get(), buffer, sizeof(buffer));
    if (got < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("read " + path);
    }
    if (got == 0) break;
    file.text.append(buffer, static_cast<size_t>(got));
    if (file.text.size() > kMaxConfigFileSize) {
      return PlainError(path + " is larger than " + std::to_string(kMaxConfigFileSize >> 10) +
                        " KiB; a config file is small text");
    }
  }
  return file;
}

Result<std::vector<std::string>> ListConfFiles(const std::string& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> stream(opendir(dir.c_str()), closedir);
  if (stream == nullptr) return ErrnoError("open directory " + dir);
  std::string base = EndsWith(dir, "/") ? dir : dir + "/";
  std::vector<std::string> paths;
  while (true) {
    errno = 0;
    struct dirent* entry = readdir(stream.get());
    if (entry == nullptr) {
      if (errno != 0) return ErrnoError("read directory " + dir);
      break;
    }
    std::string_view name = entry->d_name;
    if (name.size() <= 5 || !EndsWith(name, ".conf")) continue;
    std::string path = base + std::string(name);
    Result<PathKind> kind = KindOfPath(path);
    if (kind.ok() && *kind == PathKind::kFile) paths.push_back(std::move(path));
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace uxc::config

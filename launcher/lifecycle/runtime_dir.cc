#include "launcher/lifecycle/runtime_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace uxc::lifecycle {

std::string RuntimeBase(const std::string& xdg_runtime_dir, uid_t uid) {
  if (!xdg_runtime_dir.empty()) return xdg_runtime_dir + "/uxc";
  return "/tmp/uxc-" + std::to_string(uid);
}

RuntimePaths PathsFor(const std::string& base, const std::string& name) { return PathsIn(base + "/" + name); }

RuntimePaths PathsIn(const std::string& dir) { return {dir, dir + "/state", dir + "/control"}; }

Status CheckPrivateDir(const std::string& path, uid_t uid) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return ErrnoError("runtime dir " + path);
  if (!S_ISDIR(st.st_mode)) {
    return PlainError("runtime dir " + path +
                      " is not a directory (a symlink or a file): remove it, or set XDG_RUNTIME_DIR");
  }
  if (st.st_uid != uid) {
    return PlainError("runtime dir " + path + " belongs to uid " + std::to_string(st.st_uid) +
                      ", not to you (uid " + std::to_string(uid) +
                      "); uxc refuses it: have it removed, or set XDG_RUNTIME_DIR to a directory of yours");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
    return PlainError("runtime dir " + path + " has mode " + mode +
                      "; uxc needs it private: chmod 700 " + path);
  }
  return OkStatus();
}

Status EnsurePrivateDir(const std::string& path, uid_t uid) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return ErrnoError("create the runtime dir " + path);
  }
  return CheckPrivateDir(path, uid);
}

Result<std::string> EnsureRuntimeBase() {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  std::string base = RuntimeBase(xdg == nullptr ? "" : xdg, getuid());
  UXC_RETURN_IF_ERROR(EnsurePrivateDir(base, getuid()));
  return base;
}

void RemoveRuntimeFiles(const RuntimePaths& paths) {
  unlink(paths.socket.c_str());
  unlink(paths.state.c_str());
  rmdir(paths.dir.c_str());
}

}  // namespace uxc::lifecycle

#include "launcher/helper_path.h"

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

namespace uxc::launcher {
namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string DirectoryOfSelf() {
  char buffer[4096];
  ssize_t n = readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return "";
  std::string path(buffer, n);
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string SearchPath(const std::string& name) {
  const char* path = getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (IsExecutableFile(candidate)) return candidate;
  }
  return "";
}

Status CheckPrivileged(const std::string& path, const std::string& setting) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return ErrnoError("stat " + path);
  bool setuid_root = (st.st_mode & S_ISUID) && st.st_uid == 0;
  bool has_file_caps = getxattr(path.c_str(), "security.capability", nullptr, 0) > 0;
  if (setuid_root || has_file_caps) return OkStatus();
  return PlainError(path +
                    " is not setuid root, so it cannot map ids: ask root to run `chown root " +
                    path + " && chmod u+s " + path + "`, or set " + setting +
                    " in ~/.config/uxc/uxc.conf to a helper that is");
}

}  // namespace

Result<std::string> FindHelper(const std::string& name, const std::string& configured,
                               const std::string& setting) {
  std::string found;
  if (!configured.empty()) {
    if (!IsExecutableFile(configured)) {
      return PlainError(setting + " = " + configured +
                        ": no executable file there; fix the path in uxc.conf");
    }
    found = configured;
  } else {
    std::string self_dir = DirectoryOfSelf();
    if (!self_dir.empty() && IsExecutableFile(self_dir + "/" + name)) {
      found = self_dir + "/" + name;
    } else {
      found = SearchPath(name);
    }
  }
  if (found.empty()) {
    return PlainError(name + " not found next to uxc or on PATH: install uxc's helpers, or set " +
                      setting + " = /usr/bin/" + name.substr(name.find('-') + 1) +
                      " (shadow's helper) in ~/.config/uxc/uxc.conf");
  }
  UXC_RETURN_IF_ERROR(CheckPrivileged(found, setting));
  return found;
}

}  // namespace uxc::launcher

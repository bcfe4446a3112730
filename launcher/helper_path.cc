#include "launcher/helper_path.h"

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "launcher/self_binary.h"

namespace uxc::launcher {
namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string DirectoryOfSelf() {
  auto binary = UxcBinaryPath();
  if (!binary.ok()) return "";
  size_t slash = binary->rfind('/');
  return slash == std::string::npos ? "" : binary->substr(0, slash);
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

// Next to the running uxc binary, else on PATH; "" when neither has it.
std::string Search(const std::string& name) {
  std::string self_dir = DirectoryOfSelf();
  if (!self_dir.empty() && IsExecutableFile(self_dir + "/" + name)) return self_dir + "/" + name;
  return SearchPath(name);
}

bool IsPrivileged(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return false;
  bool setuid_root = (st.st_mode & S_ISUID) && st.st_uid == 0;
  return setuid_root || getxattr(path.c_str(), "security.capability", nullptr, 0) > 0;
}

Status CheckPrivileged(const std::string& path, const std::string& setting) {
  if (IsPrivileged(path)) return OkStatus();
  return WithHint(PlainError(path + " is not setuid root, so it cannot map ids"),
                  "ask root to run `chown root " + path + " && chmod u+s " + path + "`, or set " + setting +
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
    found = Search(name);
  }
  if (found.empty()) {
    return PlainError(name + " not found next to uxc or on PATH: install uxc's helpers, or set " +
                      setting + " = /usr/bin/" + name.substr(name.find('-') + 1) +
                      " (shadow's helper) in ~/.config/uxc/uxc.conf");
  }
  UXC_RETURN_IF_ERROR(CheckPrivileged(found, setting));
  return found;
}

std::optional<std::string> FindOptionalHelper(const std::string& name) {
  std::string found = Search(name);
  if (found.empty() || !IsPrivileged(found)) return std::nullopt;
  return found;
}

}  // namespace uxc::launcher

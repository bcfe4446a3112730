#include "launcher/engine/helper_path.h"

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "launcher/engine/self_binary.h"

namespace uxc::launcher {
namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string Parent(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string SelfBinary() {
  auto binary = UxcBinaryPath();
  return binary.ok() ? *binary : "";
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

std::string LibexecDirFor(const std::string& uxc_binary) {
  std::string prefix = Parent(Parent(uxc_binary));
  return (prefix == "/" ? "" : prefix) + "/libexec/uxc";
}

std::string FindInUxcPrefix(const std::string& uxc_binary, const std::string& name) {
  if (uxc_binary.empty()) return "";
  for (const std::string& dir : {Parent(uxc_binary), LibexecDirFor(uxc_binary)}) {
    std::string candidate = (dir == "/" ? "" : dir) + "/" + name;
    if (IsExecutableFile(candidate)) return candidate;
  }
  return "";
}

namespace {

// Beside uxc, in its libexec directory, else on PATH; "" when none has it.
std::string Search(const std::string& name) {
  std::string found = FindInUxcPrefix(SelfBinary(), name);
  return found.empty() ? SearchPath(name) : found;
}

}  // namespace

Result<std::string> FindInternalProgram(const std::string& name, const std::string& role,
                                        const std::string& uxc_binary) {
  std::string self = uxc_binary.empty() ? SelfBinary() : uxc_binary;
  if (self.empty()) return PlainError(name + " (" + role + ") not found: uxc cannot tell where it is installed");
  std::string found = FindInUxcPrefix(self, name);
  if (!found.empty()) return found;
  return PlainError(Parent(self) + "/" + name + " (" + role + ") is missing beside " + self + ", and so is " +
                    LibexecDirFor(self) + "/" + name + ": install " + name +
                    " with uxc (the uxc package and tools/install do)");
}

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
    return PlainError(name + " not found beside uxc, in " + LibexecDirFor(SelfBinary()) +
                      " or on PATH: install uxc's helpers, or set " + setting + " = /usr/bin/" + name.substr(name.find('-') + 1) +
                      " (shadow's helper) in ~/.config/uxc/uxc.conf");
  }
  UXC_RETURN_IF_ERROR(CheckPrivileged(found, setting));
  return found;
}

std::string SearchHelper(const std::string& name) { return Search(name); }

std::optional<std::string> FindOptionalHelper(const std::string& name) {
  std::string found = Search(name);
  if (found.empty() || !IsPrivileged(found)) return std::nullopt;
  return found;
}

}  // namespace uxc::launcher

#include "launcher/lifecycle/runtime_dir.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

namespace uxc::lifecycle {
namespace {

// "bob (uid 1001)", or "uid 1001" when it has no passwd entry.
std::string Owner(uid_t uid) {
  passwd* entry = getpwuid(uid);
  std::string id = "uid " + std::to_string(uid);
  return entry == nullptr ? id : std::string(entry->pw_name) + " (" + id + ")";
}

std::string Mode(mode_t mode) {
  char text[8];
  snprintf(text, sizeof text, "%04o", mode & 07777);
  return text;
}

std::string HomeOf(uid_t uid) {
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/') return home;
  passwd* entry = getpwuid(uid);
  return entry != nullptr && entry->pw_dir != nullptr ? entry->pw_dir : "";
}

// mkdir -p, each new directory 0700; existing ones are left as they are.
Status MakeParents(const std::string& path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoError("create " + prefix);
  }
  return OkStatus();
}

bool warned = false;

}  // namespace

RuntimeBaseChoice ChooseRuntimeBase(const std::string& xdg_runtime_dir, const std::string& home, uid_t uid) {
  std::string fallback = home + "/.cache/uxc/run";
  if (xdg_runtime_dir.empty()) return {fallback, ""};
  struct stat st;
  std::string why;
  if (xdg_runtime_dir[0] != '/') {
    why = "is not an absolute path";
  } else if (lstat(xdg_runtime_dir.c_str(), &st) != 0) {
    why = "does not exist";
  } else if (!S_ISDIR(st.st_mode)) {
    why = "is not a directory (a symlink or a file)";
  } else if (st.st_uid != uid) {
    why = "belongs to " + Owner(st.st_uid) + ", not to you";
  } else if ((st.st_mode & 022) != 0) {
    why = "has mode " + Mode(st.st_mode) + ", so others may write there";
  } else {
    return {xdg_runtime_dir + "/uxc", ""};
  }
  return {fallback, "XDG_RUNTIME_DIR=" + xdg_runtime_dir + " " + why + ": uxc keeps its runtime files in " +
                        fallback + " instead (set XDG_RUNTIME_DIR to a directory of your own, mode 0700, or "
                        "unset it)"};
}

Status CheckPrivateDir(const std::string& path, uid_t uid) {
  // lstat: the checks are of the directory itself, never of what a
  // symlink in its place points to.
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return ErrnoError("runtime dir " + path);
  if (S_ISLNK(st.st_mode)) {
    char target[PATH_MAX] = {};
    ssize_t length = readlink(path.c_str(), target, sizeof target - 1);
    std::string to = length > 0 ? " to " + std::string(target, static_cast<size_t>(length)) : "";
    return PlainError("runtime dir " + path + " is a symlink" + to + ", made by " + Owner(st.st_uid) +
                      "; uxc refuses it: remove it (`rm " + path + "`) and run uxc again");
  }
  if (!S_ISDIR(st.st_mode)) {
    return PlainError("runtime dir " + path + " is not a directory (made by " + Owner(st.st_uid) +
                      "): remove it (`rm " + path + "`) and run uxc again");
  }
  if (st.st_uid != uid) {
    return PlainError("runtime dir " + path + " belongs to " + Owner(st.st_uid) + ", not to you (" + Owner(uid) +
                      "); uxc refuses it: have its owner or root remove it (`rm -r " + path + "`)");
  }
  if ((st.st_mode & 077) != 0) {
    return PlainError("runtime dir " + path + " has mode " + Mode(st.st_mode) +
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
  std::string home = HomeOf(getuid());
  if ((xdg == nullptr || xdg[0] == '\0') && home.empty()) {
    return PlainError("neither XDG_RUNTIME_DIR nor HOME is set, and uid " + std::to_string(getuid()) +
                      " has no home in /etc/passwd: set one of them");
  }
  RuntimeBaseChoice choice = ChooseRuntimeBase(xdg == nullptr ? "" : xdg, home, getuid());
  if (!choice.warning.empty() && !warned) {
    warned = true;
    std::fprintf(stderr, "uxc: %s\n", choice.warning.c_str());
  }
  UXC_RETURN_IF_ERROR(MakeParents(choice.base));
  UXC_RETURN_IF_ERROR(EnsurePrivateDir(choice.base, getuid()));
  return choice.base;
}

}  // namespace uxc::lifecycle

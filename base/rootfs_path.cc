#include "base/rootfs_path.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <deque>
#include <vector>

namespace uxc {
namespace {

// The kernel's limit on symlinks followed in one lookup (path_resolution(7)).
constexpr int kMaxSymlinks = 40;

std::deque<std::string> Components(const std::string& path) {
  std::deque<std::string> components;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) components.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return components;
}

std::string Join(const std::deque<std::string>& components) {
  std::string path;
  for (const std::string& component : components) path += (path.empty() ? "" : "/") + component;
  return path.empty() ? "." : path;
}

// The target of the symlink open as `link` (O_PATH | O_NOFOLLOW).
Result<std::string> ReadLink(int link, const std::string& origin) {
  char target[4096];
  ssize_t n = readlinkat(link, "", target, sizeof target);
  if (n < 0) return ErrnoError("read the symlink " + origin);
  if (n == sizeof target) return ErrnoError(ENAMETOOLONG, "read the symlink " + origin);
  if (n == 0) return ErrnoError(ENOENT, "read the symlink " + origin);
  return std::string(target, static_cast<size_t>(n));
}

// Puts a symlink's target in front of what is left to resolve.
void Splice(const std::string& target, std::deque<std::string>* todo) {
  std::deque<std::string> parts = Components(target);
  todo->insert(todo->begin(), parts.begin(), parts.end());
}

bool SameFile(const struct stat& a, const struct stat& b) { return a.st_dev == b.st_dev && a.st_ino == b.st_ino; }

UniqueFd OpenComponent(int dir, const std::string& name) {
  return UniqueFd(openat(dir, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
}

}  // namespace

int OpenInRoot(int root_fd, const std::string& path, int flags, mode_t mode, uint64_t extra_resolve) {
  open_how how = {};
  how.flags = static_cast<uint64_t>(flags) | O_CLOEXEC;
  how.mode = (flags & (O_CREAT | O_TMPFILE)) != 0 ? mode : 0;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra_resolve;
  // EAGAIN: a concurrent rename raced with a ".." lookup (openat2(2)); retry.
  for (int attempt = 0; attempt < 64; ++attempt) {
    int fd = static_cast<int>(syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
    if (fd >= 0 || errno != EAGAIN) return fd;
  }
  return -1;
}

Result<std::string> CanonicalPathInRoot(int root_fd, const std::string& path) {
  // dirs[i] is the directory named by the first i components of `names`;
  // dirs[0] the root. ".." pops both, and stops at the root.
  std::vector<UniqueFd> dirs;
  dirs.emplace_back(fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
  if (!dirs[0]) return ErrnoError("resolve " + path + " in the root");
  std::vector<std::string> names;
  std::deque<std::string> todo = Components(path);
  int symlinks = 0;
  bool last_is_directory = true;
  while (!todo.empty()) {
    std::string name = std::move(todo.front());
    todo.pop_front();
    if (!last_is_directory) return ErrnoError(ENOTDIR, "resolve " + path + " in the root");
    if (name == ".") continue;
    if (name == "..") {
      if (!names.empty()) {
        names.pop_back();
        dirs.pop_back();
      }
      continue;
    }
    UniqueFd next = OpenComponent(dirs.back().get(), name);
    struct stat status;
    if (!next || fstat(next.get(), &status) != 0) return ErrnoError("resolve " + path + " in the root");
    if (S_ISLNK(status.st_mode)) {
      if (++symlinks > kMaxSymlinks) return ErrnoError(ELOOP, "resolve " + path + " in the root");
      UXC_ASSIGN_OR_RETURN(auto target, ReadLink(next.get(), "in " + path));
      if (target.front() == '/') {
        names.clear();
        dirs.resize(1);
      }
      Splice(target, &todo);
      continue;
    }
    last_is_directory = S_ISDIR(status.st_mode);
    names.push_back(std::move(name));
    dirs.push_back(std::move(next));
  }
  std::string canonical;
  for (const std::string& name : names) canonical += "/" + name;
  return canonical.empty() ? "/" : canonical;
}

Result<ParentDir> OpenParentDir(const std::string& path, const std::string& rootfs) {
  std::deque<std::string> todo = Components(path);
  if (todo.empty() || todo.back() == "." || todo.back() == ".." || path.back() == '/') {
    return PlainError(path + " does not name a file");
  }
  ParentDir parent;
  parent.name = todo.back();
  todo.pop_back();
  struct stat root = {};
  bool has_root = false;
  if (!rootfs.empty()) {
    UniqueFd root_fd(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    has_root = root_fd && fstat(root_fd.get(), &root) == 0;
  }
  UniqueFd dir(open(path.front() == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return ErrnoError("open the directory of " + path);
  int symlinks = 0;
  while (true) {
    struct stat status;
    if (fstat(dir.get(), &status) != 0) return ErrnoError("open the directory of " + path);
    if (has_root && SameFile(status, root)) {
      // Inside the container's root: the kernel resolves the rest, confined.
      parent.dir = UniqueFd(OpenInRoot(dir.get(), Join(todo), O_PATH | O_DIRECTORY));
      if (!parent.dir) return ErrnoError("open the directory of " + path + " inside the rootfs " + rootfs);
      return parent;
    }
    if (todo.empty()) break;
    std::string name = std::move(todo.front());
    todo.pop_front();
    if (name == ".") continue;
    UniqueFd next = OpenComponent(dir.get(), name);
    if (!next || fstat(next.get(), &status) != 0) return ErrnoError("open the directory of " + path);
    if (S_ISLNK(status.st_mode)) {
      if (++symlinks > kMaxSymlinks) return ErrnoError(ELOOP, "open the directory of " + path);
      UXC_ASSIGN_OR_RETURN(auto target, ReadLink(next.get(), "in " + path));
      if (target.front() == '/') dir = UniqueFd(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
      Splice(target, &todo);
      continue;
    }
    if (!S_ISDIR(status.st_mode)) return ErrnoError(ENOTDIR, "open the directory of " + path);
    dir = std::move(next);
  }
  parent.dir = std::move(dir);
  return parent;
}

}  // namespace uxc

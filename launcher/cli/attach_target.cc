#include "launcher/cli/attach_target.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <charconv>
#include <string>
#include <vector>

namespace uxc::cli {
namespace {

bool CanSeeNamespaces(pid_t pid) {
  struct stat st;
  return stat(("/proc/" + std::to_string(pid) + "/ns/user").c_str(), &st) == 0;
}

pid_t ParentPid(pid_t pid) {
  UniqueFd fd(open(("/proc/" + std::to_string(pid) + "/stat").c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return -1;
  char buffer[1024];
  ssize_t n = read(fd.get(), buffer, sizeof buffer);
  if (n <= 0) return -1;
  return ParentPidFromStat(std::string_view(buffer, n));
}

std::vector<pid_t> ChildrenOf(pid_t parent) {
  std::vector<pid_t> children;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return children;
  while (dirent* entry = readdir(proc)) {
    pid_t pid = 0;
    std::string_view name = entry->d_name;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec != std::errc() || end != name.data() + name.size()) continue;
    if (ParentPid(pid) == parent) children.push_back(pid);
  }
  closedir(proc);
  return children;
}

Result<AttachTarget> Open(pid_t pid) {
  AttachTarget target{pid, UniqueFd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)))};
  if (!target.pidfd) return ErrnoError("open process " + std::to_string(pid));
  return target;
}

}  // namespace

pid_t ParentPidFromStat(std::string_view stat) {
  size_t paren = stat.rfind(')');
  if (paren == std::string_view::npos) return -1;
  std::string_view rest = stat.substr(paren + 1);
  // " S 1234 ...": the state, then the parent pid.
  if (rest.size() < 4 || rest[0] != ' ' || rest[2] != ' ') return -1;
  rest.remove_prefix(3);
  pid_t parent = -1;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), parent);
  if (ec != std::errc() || parent < 0 || (end != rest.data() + rest.size() && *end != ' ')) return -1;
  return parent;
}

Result<AttachTarget> OpenAttachTarget(pid_t init_pid) {
  auto init = Open(init_pid);
  if (!init.ok()) return Annotate(init.take_error(), "the container's init");
  if (CanSeeNamespaces(init_pid)) return init;
  for (pid_t child : ChildrenOf(init_pid)) {
    if (!CanSeeNamespaces(child)) continue;
    auto target = Open(child);
    // The pidfd pins the process; if the pid was reused before it was
    // opened, the process there now is no child of the init.
    if (target.ok() && ParentPid(child) == init_pid) return target;
  }
  return PlainError("its init (pid " + std::to_string(init_pid) +
                    ") does not let you see its namespaces (it is not dumpable), and it has no child that does");
}

}  // namespace uxc::cli

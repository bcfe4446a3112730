#include "kernel/cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>

#include "kernel/cgroup_files.h"

namespace uxc::kernel {
namespace {

// cgroup files are small; mountinfo can be long on a busy host.
constexpr size_t kMaxCgroupFile = 64 << 10;
constexpr size_t kMaxProcFile = 16 << 20;

bool IsOneComponent(std::string_view name) {
  return !name.empty() && name != "." && name != ".." && name.size() <= 255 &&
         name.find('/') == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

Status CheckName(std::string_view name, std::string_view what) {
  if (IsOneComponent(name)) return OkStatus();
  return PlainError(std::string(what) + " \"" + std::string(name) +
                    "\" is not a single file name (no '/', not \".\" or \"..\")");
}

// Reads all of `name` under `dir` (AT_FDCWD: an absolute path); `shown` names
// it in errors.
Result<std::string> ReadBounded(int dir, const std::string& name, size_t max_bytes, const std::string& shown) {
  UniqueFd fd(openat(dir, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd) return ErrnoError("open " + shown);
  std::string text;
  char buffer[8192];
  while (true) {
    ssize_t got = read(fd.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return ErrnoError("read " + shown);
    if (got == 0) return text;
    if (text.size() + static_cast<size_t>(got) > max_bytes) {
      return PlainError("read " + shown + ": longer than " + std::to_string(max_bytes) + " bytes");
    }
    text.append(buffer, static_cast<size_t>(got));
  }
}

int64_t NowMs() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
}

}  // namespace

Result<Cgroup> Cgroup::Open(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return ErrnoError("open the cgroup " + path);
  struct statfs fs;
  if (fstatfs(fd.get(), &fs) != 0) return ErrnoError("statfs " + path);
  if (fs.f_type != CGROUP2_SUPER_MAGIC) return PlainError(path + " is not on a cgroup2 file system");
  return Cgroup(std::move(fd), path);
}

Result<Cgroup> Cgroup::CreateChild(std::string_view name) const {
  UXC_RETURN_IF_ERROR(CheckName(name, "cgroup"));
  std::string child(name);
  if (mkdirat(fd_.get(), child.c_str(), 0755) != 0) return ErrnoError("create the cgroup " + path_ + "/" + child);
  return OpenChild(name);
}

Result<Cgroup> Cgroup::OpenChild(std::string_view name) const {
  UXC_RETURN_IF_ERROR(CheckName(name, "cgroup"));
  std::string child(name);
  open_how how{};
  how.flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  UniqueFd fd(static_cast<int>(syscall(SYS_openat2, fd_.get(), child.c_str(), &how, sizeof how)));
  if (!fd) {
    if (errno == EXDEV) return ErrnoError("open the cgroup " + path_ + "/" + child + " (something is mounted on it)");
    return ErrnoError("open the cgroup " + path_ + "/" + child);
  }
  return Cgroup(std::move(fd), path_ + "/" + child);
}

Result<std::vector<std::string>> Cgroup::Children() const {
  int listing = openat(fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (listing < 0) return ErrnoError("list the cgroup " + path_);
  DIR* dir = fdopendir(listing);
  if (dir == nullptr) {
    close(listing);
    return ErrnoError("list the cgroup " + path_);
  }
  std::vector<std::string> names;
  while (dirent* entry = readdir(dir)) {
    std::string_view name = entry->d_name;
    if (entry->d_type == DT_DIR && name != "." && name != "..") names.emplace_back(name);
  }
  closedir(dir);
  return names;
}

Result<struct stat> Cgroup::Stat() const {
  struct stat status;
  if (fstat(fd_.get(), &status) != 0) return ErrnoError("stat the cgroup " + path_);
  return status;
}

Status Cgroup::HandOver(uid_t uid, gid_t gid, const std::vector<std::string>& files) const {
  if (fchownat(fd_.get(), "", uid, gid, AT_EMPTY_PATH) != 0) return ErrnoError("chown the cgroup " + path_);
  for (const std::string& file : files) {
    UXC_RETURN_IF_ERROR(CheckName(file, "delegated file"));
    // A controller's file exists only while the parent enables it.
    if (fchownat(fd_.get(), file.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0 && errno != ENOENT) {
      return ErrnoError("chown " + path_ + "/" + file);
    }
  }
  return OkStatus();
}

Status Cgroup::RemoveChild(std::string_view name) const {
  UXC_RETURN_IF_ERROR(CheckName(name, "cgroup"));
  std::string child(name);
  if (unlinkat(fd_.get(), child.c_str(), AT_REMOVEDIR) == 0) return OkStatus();
  if (errno == EBUSY) {
    return ErrnoError("remove the cgroup " + path_ + "/" + child + " (it still has processes or cgroups in it)");
  }
  return ErrnoError("remove the cgroup " + path_ + "/" + child);
}

Result<std::string> Cgroup::ReadFile(std::string_view name) const {
  return ReadBounded(fd_.get(), std::string(name), kMaxCgroupFile, path_ + "/" + std::string(name));
}

// The kernel takes each cgroup file's value in one write(2).
Status Cgroup::WriteFile(std::string_view name, std::string_view value) const {
  std::string file(name);
  UniqueFd fd(openat(fd_.get(), file.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return ErrnoError("open " + path_ + "/" + file);
  ssize_t written = write(fd.get(), value.data(), value.size());
  if (written != static_cast<ssize_t>(value.size())) {
    return ErrnoError(written < 0 ? errno : EIO, "write \"" + std::string(value) + "\" to " + path_ + "/" + file);
  }
  return OkStatus();
}

Result<std::vector<std::string>> Cgroup::Controllers() const {
  UXC_ASSIGN_OR_RETURN(auto text, ReadFile("cgroup.controllers"));
  return ParseControllerList(text);
}

Result<std::vector<std::string>> Cgroup::EnabledForChildren() const {
  UXC_ASSIGN_OR_RETURN(auto text, ReadFile("cgroup.subtree_control"));
  return ParseControllerList(text);
}

Status Cgroup::EnableControllers(const std::vector<std::string>& names) const {
  UXC_ASSIGN_OR_RETURN(auto available, Controllers());
  std::string request;
  for (const std::string& name : names) {
    if (std::find(available.begin(), available.end(), name) == available.end()) {
      return PlainError("enable the " + name + " controller in " + path_ + ": it is not available there (" +
                        "cgroup.controllers has \"" + FormatControllerList(available) +
                        "\"); the parent cgroup must enable it " +
                        "in its cgroup.subtree_control first (with systemd: Delegate= of the unit), and on a " +
                        "hybrid host a controller bound to cgroup v1 is never available in cgroup2");
    }
    request += (request.empty() ? "+" : " +") + name;
  }
  if (request.empty()) return OkStatus();
  return WriteFile("cgroup.subtree_control", request);
}

Status Cgroup::WriteLimit(std::string_view knob, std::string_view value) const {
  size_t dot = knob.find('.');
  if (!IsOneComponent(knob) || dot == std::string_view::npos || dot == 0 || knob.starts_with("cgroup.")) {
    return PlainError("\"" + std::string(knob) + "\" is not a controller's file (CONTROLLER.KNOB, e.g. memory.max)");
  }
  Status written = WriteFile(knob, value);
  if (written.ok() || written.error().errno_value != ENOENT) return written;
  std::string controller(knob.substr(0, dot));
  return PlainError("set " + std::string(knob) + " of " + path_ + ": there is no such file, so the " + controller +
                    " controller is not enabled for this cgroup; the parent must enable it in its " +
                    "cgroup.subtree_control");
}

Status Cgroup::AddProcess(pid_t pid) const { return WriteFile("cgroup.procs", std::to_string(pid)); }

Result<std::vector<pid_t>> Cgroup::Processes() const {
  UXC_ASSIGN_OR_RETURN(auto text, ReadFile("cgroup.procs"));
  std::vector<pid_t> pids;
  for (std::string_view rest = text; !rest.empty();) {
    size_t end = std::min(rest.find('\n'), rest.size());
    if (auto pid = ParseSingleValue(rest.substr(0, end)); pid) pids.push_back(static_cast<pid_t>(*pid));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  return pids;
}

Result<CgroupStats> Cgroup::ReadStats() const {
  UXC_ASSIGN_OR_RETURN(auto cpu, ReadFile("cpu.stat"));
  auto values = ParseFlatKeyed(cpu);
  CgroupStats stats;
  auto get = [&values](std::string_view key) {
    auto found = values.find(key);
    return found == values.end() ? 0 : found->second;
  };
  stats.cpu_usage_usec = get("usage_usec");
  stats.cpu_user_usec = get("user_usec");
  stats.cpu_system_usec = get("system_usec");
  // These files exist only where their controller is enabled.
  if (auto memory = ReadFile("memory.current"); memory.ok()) stats.memory_current = ParseSingleValue(*memory);
  if (auto pids = ReadFile("pids.current"); pids.ok()) stats.pids_current = ParseSingleValue(*pids);
  return stats;
}

Result<CgroupEvents> Cgroup::ReadEvents() const {
  UXC_ASSIGN_OR_RETURN(auto text, ReadFile("cgroup.events"));
  auto values = ParseFlatKeyed(text);
  CgroupEvents events;
  events.populated = values.contains("populated") && values.find("populated")->second != 0;
  events.frozen = values.contains("frozen") && values.find("frozen")->second != 0;
  return events;
}

Status Cgroup::Kill() const {
  Status killed = WriteFile("cgroup.kill", "1");
  if (killed.ok() || killed.error().errno_value != ENOENT) return killed;
  return PlainError("kill the processes of " + path_ + ": there is no cgroup.kill (Linux 5.14 added it)");
}

// cgroup-v2.rst: a change of cgroup.events is signalled to poll(2) as
// POLLPRI (kernfs raises POLLERR|POLLPRI), not as POLLIN. kernfs compares
// with what this open file last read: read, judge that text, then poll, so
// a change between the two still wakes the poll.
template <typename Done>
Status Cgroup::WaitForEvents(Done done, std::string_view what, int timeout_ms) const {
  UniqueFd fd(openat(fd_.get(), "cgroup.events", O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return ErrnoError("open " + path_ + "/cgroup.events");
  int64_t deadline = NowMs() + timeout_ms;
  while (true) {
    char buffer[4096];
    ssize_t got = pread(fd.get(), buffer, sizeof buffer, 0);
    if (got < 0 && errno != EINTR) return ErrnoError("read " + path_ + "/cgroup.events");
    if (got > 0 && done(ParseFlatKeyed(std::string_view(buffer, static_cast<size_t>(got))))) return OkStatus();
    int64_t left = deadline - NowMs();
    if (left <= 0) {
      return PlainError(path_ + " was not " + std::string(what) + " after " + std::to_string(timeout_ms) + " ms");
    }
    pollfd watch = {fd.get(), POLLPRI, 0};
    if (poll(&watch, 1, static_cast<int>(left)) < 0 && errno != EINTR) {
      return ErrnoError("wait for " + path_ + "/cgroup.events");
    }
  }
}

Status Cgroup::Freeze(int timeout_ms) const {
  Status written = WriteFile("cgroup.freeze", "1");
  if (!written.ok()) return written;
  return WaitForEvents([](const auto& values) { return values.contains("frozen") && values.at("frozen") == 1; },
                       "frozen", timeout_ms);
}

Status Cgroup::Thaw(int timeout_ms) const {
  Status written = WriteFile("cgroup.freeze", "0");
  if (!written.ok()) return written;
  return WaitForEvents([](const auto& values) { return values.contains("frozen") && values.at("frozen") == 0; },
                       "thawed", timeout_ms);
}

Status Cgroup::WaitUntilEmpty(int timeout_ms) const {
  return WaitForEvents(
      [](const auto& values) { return values.contains("populated") && values.at("populated") == 0; }, "empty",
      timeout_ms);
}

namespace {

// The real uid decides (faccessat without AT_EACCESS), as for the caller of
// a setuid helper.
bool DelegatedToCaller(const Cgroup& cgroup) {
  int dir = cgroup.fd();
  return faccessat(dir, ".", W_OK, 0) == 0 && faccessat(dir, "cgroup.procs", W_OK, 0) == 0 &&
         faccessat(dir, "cgroup.subtree_control", W_OK, 0) == 0;
}

}  // namespace

std::vector<std::string> DelegatableFiles() {
  auto text = ReadBounded(AT_FDCWD, "/sys/kernel/cgroup/delegate", kMaxCgroupFile, "/sys/kernel/cgroup/delegate");
  std::vector<std::string> files = text.ok() ? ParseDelegateList(*text) : std::vector<std::string>{};
  if (files.empty()) files = {"cgroup.procs", "cgroup.threads", "cgroup.subtree_control"};
  return files;
}

Result<DelegationPoint> DelegationPointOf(const CgroupLayout& layout) {
  std::optional<std::string> own = OwnCgroup2Directory(layout);
  if (!own) {
    return PlainError("your cgroup v2 (" + layout.v2_path.value_or("no 0:: line in /proc/self/cgroup") +
                      ") is not under a cgroup2 mount of /proc/self/mountinfo");
  }
  UXC_ASSIGN_OR_RETURN(Cgroup cgroup, Cgroup::Open(*own));
  bool writable = DelegatedToCaller(cgroup);
  // pam_uxc puts a login in a leaf "session-N" of the user's node; the
  // node, delegated too and without processes of its own, is where the
  // user's cgroups go (docs/pam.md).
  size_t slash = own->rfind('/');
  if (writable && own->compare(slash + 1, 8, "session-") == 0) {
    auto node = Cgroup::Open(own->substr(0, slash));
    if (node.ok() && DelegatedToCaller(*node)) return DelegationPoint{std::move(*node), true};
  }
  return DelegationPoint{std::move(cgroup), writable};
}

Result<CgroupLayout> ReadCgroupLayout() {
  UXC_ASSIGN_OR_RETURN(auto mountinfo,
                       ReadBounded(AT_FDCWD, "/proc/self/mountinfo", kMaxProcFile, "/proc/self/mountinfo"));
  UXC_ASSIGN_OR_RETURN(auto self, ReadBounded(AT_FDCWD, "/proc/self/cgroup", kMaxCgroupFile, "/proc/self/cgroup"));
  return ParseCgroupLayout(mountinfo, self);
}

Result<DelegationPoint> FindDelegationPoint() {
  UXC_ASSIGN_OR_RETURN(CgroupLayout layout, ReadCgroupLayout());
  return DelegationPointOf(layout);
}

}  // namespace uxc::kernel

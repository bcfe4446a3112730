// The whole of uxc-newuidmap / uxc-newgidmap, in the order it runs. The
// checks and why each exists: docs/idmap.md.
#include "helpers/id_map_helper.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "base/unique_fd.h"
#include "config/subid.h"
#include "helpers/map_policy.h"
#include "helpers/setuid_start.h"
#include "helpers/target_process.h"

namespace uxc::helpers {
namespace {

constexpr const char kVersion[] = "0.1.0";

struct Names {
  const char* program;
  const char* subid_file;
  const char* map_file;
  const char* ids;
};

Names NamesFor(IdKind kind) {
  if (kind == IdKind::kUid) return {"uxc-newuidmap", "/etc/subuid", "uid_map", "uid"};
  return {"uxc-newgidmap", "/etc/subgid", "gid_map", "gid"};
}

void PrintHelp(IdKind kind) {
  Names names = NamesFor(kind);
  std::string text = std::string("usage: ") + names.program +
                     " <pid>|fd:<N> <inside> <outside> <count> [<inside> <outside> <count>]...\n\n"
                     "Writes the " + names.map_file + " of a process in a user namespace you created.\n"
                     "Each triple maps <count> ids starting at <inside> (in the namespace) to\n"
                     "<outside> (on the host). The outside ids must lie in your " + names.subid_file + "\n"
                     "ranges (adjacent ranges chain), or be your own " + names.ids + " with count 1.\n"
                     "fd:<N> names an inherited fd: an open /proc/<pid> directory or a pidfd.\n";
  if (kind == IdKind::kGid) {
    text += "When no range comes from /etc/subgid, setgroups is set to \"deny\" first.\n";
  }
  text += "Exit status: 0 when the map is written, 1 when refused (reason on stderr).\n";
  ssize_t ignored = write(STDOUT_FILENO, text.data(), text.size());
  (void)ignored;
}

// A policy file opened as root (it may be unreadable to the caller), read
// after privileges are dropped.
struct PolicyFile {
  UniqueFd fd;
  int open_errno = 0;
};

PolicyFile OpenPolicyFile(const char* path) {
  PolicyFile file;
  file.fd = UniqueFd(open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY));
  if (!file.fd) file.open_errno = errno;
  return file;
}

Result<std::string> ReadAll(int fd, const char* path) {
  std::string text;
  char buffer[8192];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(std::string("read ") + path);
    if (n == 0) return text;
    text.append(buffer, static_cast<size_t>(n));
  }
}

Result<MapPolicy> LoadPolicy(IdKind kind, const Caller& caller, const PolicyFile& passwd, const PolicyFile& subid) {
  Names names = NamesFor(kind);
  std::vector<std::string> user_names;
  if (passwd.fd) {
    auto text = ReadAll(passwd.fd.get(), "/etc/passwd");
    if (!text.ok()) return text.take_error();
    user_names = PasswdNamesForUid(*text, caller.uid);
  }
  MapPolicy policy;
  policy.kind = kind;
  policy.file = names.subid_file;
  policy.user = user_names.empty() ? std::to_string(caller.uid) : user_names.front();
  policy.own_id = kind == IdKind::kUid ? caller.uid : caller.gid;
  if (!subid.fd) {
    if (subid.open_errno != ENOENT) {
      std::string hint = subid.open_errno == ELOOP ? " (it is a symlink): ask root to make it a regular file"
                                                   : ": ask root to fix it";
      return PlainError(std::string("cannot open ") + names.subid_file + ": " + std::strerror(subid.open_errno) + hint);
    }
    policy.file_missing = true;
    return policy;
  }
  auto entries = config::ParseSubidFd(subid.fd.get(), names.subid_file);
  if (!entries.ok()) return PlainError(entries.error().ToString() + " (ask root to fix the file)");
  policy.granted = config::RangesFor(*entries, "", caller.uid);
  for (const std::string& name : user_names) {
    for (config::SubidRange& range : config::RangesFor(*entries, name, caller.uid)) {
      if (range.owner == name) policy.granted.push_back(std::move(range));
    }
  }
  return policy;
}

// CVE-2018-7169: the helper's CAP_SETGID lifts the kernel's rule that an
// unprivileged gid map needs setgroups "deny", so a user who maps only their
// own gid could otherwise drop supplementary groups and escape negative group
// permissions. Written before gid_map: the kernel refuses it afterwards.
Status DenySetgroups(const TargetProcess& target) {
  UniqueFd file(openat(target.proc_dir.get(), "setgroups", O_RDWR | O_CLOEXEC));
  if (!file) return ErrnoError("open setgroups of " + target.label);
  char current[16] = {};
  if (read(file.get(), current, sizeof current - 1) < 0) return ErrnoError("read setgroups of " + target.label);
  if (std::strncmp(current, "deny", 4) == 0) return OkStatus();
  if (lseek(file.get(), 0, SEEK_SET) != 0) return ErrnoError("seek setgroups of " + target.label);
  if (write(file.get(), "deny", 4) != 4) return ErrnoError("write \"deny\" to setgroups of " + target.label);
  return OkStatus();
}

Status WriteMap(IdKind kind, const TargetProcess& target, const std::string& text) {
  Names names = NamesFor(kind);
  auto raised = RaisedCapabilities::Raise();
  if (!raised.ok()) return raised.take_error();
  // The kernel checks the opener's credentials (user_namespaces(7)): our euid
  // owns the namespace, and CAP_SETUID/CAP_SETGID is effective now.
  UniqueFd map(openat(target.proc_dir.get(), names.map_file, O_WRONLY | O_CLOEXEC));
  if (!map) {
    if (errno == ESRCH || errno == ENOENT) return PlainError(target.label + " has exited");
    return ErrnoError(std::string("open ") + names.map_file + " of " + target.label);
  }
  UXC_RETURN_IF_ERROR(CheckTargetAlive(target));
  ssize_t written = write(map.get(), text.data(), text.size());
  int write_errno = errno;
  UXC_RETURN_IF_ERROR(raised->Lower());
  if (written < 0) {
    return ErrnoError(write_errno, std::string("write ") + names.map_file + " of " + target.label +
                                       " (are the outside ids mapped in your own namespace?)");
  }
  if (static_cast<size_t>(written) != text.size()) {
    return PlainError(std::string("short write to ") + names.map_file + " of " + target.label);
  }
  return OkStatus();
}

[[noreturn]] void Fail(const Names& names, const Error& error) { Exit(names.program, error.ToString()); }

}  // namespace

int RunIdMapHelper(IdKind kind, int argc, char** argv) {
  Names names = NamesFor(kind);
  Caller caller = StartSetuid(names.program, {TargetFdArgument(argc, argv)});
  auto fail = [&](const Error& error) { Fail(names, error); };

  PolicyFile passwd = OpenPolicyFile("/etc/passwd");
  PolicyFile subid = OpenPolicyFile(names.subid_file);
  Status dropped = kind == IdKind::kUid ? DropToCaller(caller, {CAP_SETUID, CAP_SETFCAP})
                                        : DropToCaller(caller, {CAP_SETGID});
  if (!dropped.ok()) fail(dropped.error());

  std::vector<std::string_view> args(argv + (argc > 0 ? 1 : argc), argv + argc);
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    PrintHelp(kind);
    return 0;
  }
  if (args.size() == 1 && (args[0] == "--version" || args[0] == "-V")) {
    std::string text = std::string(names.program) + " (uxc) " + kVersion + "\n";
    ssize_t ignored = write(STDOUT_FILENO, text.data(), text.size());
    (void)ignored;
    return 0;
  }
  auto request = ParseMapRequest(args);
  if (!request.ok()) {
    Exit(names.program, request.error().ToString() + " (see " + names.program + " --help)");
  }
  if (Status shape = CheckMapShape(request->ranges, static_cast<size_t>(sysconf(_SC_PAGESIZE))); !shape.ok()) {
    fail(shape.error());
  }
  // user_namespaces(7): mapping outside uid 0 needs CAP_SETFCAP (Linux 5.12).
  bool maps_root = kind == IdKind::kUid && std::any_of(request->ranges.begin(), request->ranges.end(),
                                                         [](const IdRange& r) { return r.outside == 0; });
  if (kind == IdKind::kUid && !maps_root) {
    if (Status status = DropPermitted(CAP_SETFCAP); !status.ok()) fail(status.error());
  }

  auto target = OpenTarget(request->target);
  if (!target.ok()) fail(target.error());
  if (Status status = CheckTargetBelongsTo(*target, caller); !status.ok()) fail(status.error());
  if (Status status = CheckNotMapped(*target, kind); !status.ok()) fail(status.error());

  auto policy = LoadPolicy(kind, caller, passwd, subid);
  if (!policy.ok()) fail(policy.error());
  auto from_subid = AuthorizeRanges(*policy, request->ranges);
  if (!from_subid.ok()) fail(from_subid.error());

  bool any_subid = std::find(from_subid->begin(), from_subid->end(), true) != from_subid->end();
  if (kind == IdKind::kGid && !any_subid) {
    if (Status status = DenySetgroups(*target); !status.ok()) fail(status.error());
  }
  if (Status status = WriteMap(kind, *target, FormatMap(request->ranges)); !status.ok()) fail(status.error());
  return 0;
}

}  // namespace uxc::helpers

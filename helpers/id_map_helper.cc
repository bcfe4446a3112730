// The whole of uxc-newuidmap, uxc-newgidmap and uxc-newidmap, in the order it
// runs. The checks and why each exists: docs/idmap.md.
#include "helpers/id_map_helper.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "base/read_file.h"
#include "base/unique_fd.h"
#include "config/subid.h"
#include "helpers/map_policy.h"
#include "helpers/policy_file.h"
#include "helpers/setuid_start.h"
#include "helpers/target_process.h"

namespace uxc::helpers {
namespace {

constexpr const char kVersion[] = "0.1.0";

// How messages name one kind of map.
struct KindNames {
  const char* subid_file;
  const char* map_file;
  const char* ids;
};

KindNames NamesFor(IdKind kind) {
  if (kind == IdKind::kUid) return {"/etc/subuid", "uid_map", "uid"};
  return {"/etc/subgid", "gid_map", "gid"};
}

// What writing one kind of map needs. user_namespaces(7): mapping outside
// uid 0 needs CAP_SETFCAP too (Linux 5.12); it is dropped when no range does.
std::vector<cap_value_t> CapabilitiesFor(IdKind kind) {
  if (kind == IdKind::kUid) return {CAP_SETUID, CAP_SETFCAP};
  return {CAP_SETGID};
}

// One helper binary: its name and the maps it writes, the uid map first.
struct Program {
  const char* name;
  std::vector<IdKind> kinds;
};

struct MapToWrite {
  IdKind kind;
  std::vector<IdRange> ranges;
  bool deny_setgroups = false;  // decided by AuthorizeMaps
};

// What the command line asked for, whichever helper read it.
struct HelperRequest {
  TargetSpec target;
  std::vector<MapToWrite> maps;  // in Program::kinds order
};

std::string HelpText(const Program& program) {
  const char* common =
      "fd:<N> names an inherited fd: an open /proc/<pid> directory or a pidfd.\n"
      "Exit status: 0 when the map is written, 1 when refused (reason on stderr).\n";
  if (program.kinds.size() == 2) {
    return std::string("usage: ") + program.name +
           " <pid>|fd:<N>|wait:<N> u|g <inside> <outside> <count> [u|g <inside> <outside> <count>]...\n\n"
           "Writes the uid_map and the gid_map of a process in a user namespace you created,\n"
           "in one call: uxc-newuidmap and uxc-newgidmap's checks, made once for both maps.\n"
           "A \"u\" range maps <count> uids starting at <inside> (in the namespace) to\n"
           "<outside> (on the host), which must lie in your /etc/subuid ranges (adjacent\n"
           "ranges chain) or be your own uid with count 1; a \"g\" range the same for gids\n"
           "and /etc/subgid. Give at least one of each. Nothing is written unless every\n"
           "range is allowed. When no g range comes from /etc/subgid, setgroups is set to\n"
           "\"deny\" before the gid_map is written.\n"
           "wait:<N> names an inherited pipe: every range is checked first, then the\n"
           "target's pid is read from it as one line (\"1234\\n\"); a pipe closed before\n"
           "that line ends the call with nothing written.\n" +
           common;
  }
  KindNames names = NamesFor(program.kinds[0]);
  std::string text = std::string("usage: ") + program.name +
                     " <pid>|fd:<N> <inside> <outside> <count> [<inside> <outside> <count>]...\n\n"
                     "Writes the " + names.map_file + " of a process in a user namespace you created.\n"
                     "Each triple maps <count> ids starting at <inside> (in the namespace) to\n"
                     "<outside> (on the host). The outside ids must lie in your " + names.subid_file + "\n"
                     "ranges (adjacent ranges chain), or be your own " + names.ids + " with count 1.\n";
  if (program.kinds[0] == IdKind::kGid) {
    text += "When no range comes from /etc/subgid, setgroups is set to \"deny\" first.\n";
  }
  return text + common;
}

int Print(const std::string& text) {
  ssize_t ignored = write(STDOUT_FILENO, text.data(), text.size());
  (void)ignored;
  return 0;
}

Result<HelperRequest> ParseRequest(const Program& program, const std::vector<std::string_view>& args) {
  if (program.kinds.size() == 2) {
    UXC_ASSIGN_OR_RETURN(auto request, ParseIdMapsRequest(args));
    return HelperRequest{request.target,
                         {{IdKind::kUid, std::move(request.uids)}, {IdKind::kGid, std::move(request.gids)}}};
  }
  UXC_ASSIGN_OR_RETURN(auto request, ParseMapRequest(args));
  return HelperRequest{request.target, {{program.kinds[0], std::move(request.ranges)}}};
}

// The kernel's rules for each map; a combined request names the map at fault.
Status CheckShapes(const HelperRequest& request) {
  size_t page_size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  for (const MapToWrite& map : request.maps) {
    Status shape = CheckMapShape(map.ranges, page_size);
    if (shape.ok()) continue;
    if (request.maps.size() == 1) return shape;
    return Annotate(shape.error(), std::string("the ") + NamesFor(map.kind).map_file);
  }
  return OkStatus();
}

bool MapsHostRoot(const HelperRequest& request) {
  return std::any_of(request.maps.begin(), request.maps.end(), [](const MapToWrite& map) {
    return map.kind == IdKind::kUid &&
           std::any_of(map.ranges.begin(), map.ranges.end(), [](const IdRange& r) { return r.outside == 0; });
  });
}

Result<MapPolicy> LoadPolicy(IdKind kind, const Caller& caller, const std::vector<std::string>& user_names,
                             const PolicyFile& subid) {
  KindNames names = NamesFor(kind);
  MapPolicy policy;
  policy.kind = kind;
  policy.file = names.subid_file;
  policy.user = user_names.empty() ? std::to_string(caller.uid) : user_names.front();
  policy.own_id = kind == IdKind::kUid ? caller.uid : caller.gid;
  if (!subid.fd) {
    if (subid.open_errno != ENOENT) return OpenFailure(names.subid_file, subid.open_errno);
    policy.file_missing = true;
    return policy;
  }
  // The file may be root-only: a message quotes the caller's own lines only.
  config::QuotableLines quotable{user_names, caller.uid};
  auto entries = config::ParseSubidFd(subid.fd.get(), names.subid_file, quotable);
  if (!entries.ok()) return WithHint(entries.take_error(), "ask root to fix the file");
  policy.granted = config::RangesFor(*entries, "", caller.uid);
  for (const std::string& name : user_names) {
    for (config::SubidRange& range : config::RangesFor(*entries, name, caller.uid)) {
      if (range.owner == name) policy.granted.push_back(std::move(range));
    }
  }
  return policy;
}

// Every range of every map against the policy files (`subid_files` in the
// order of `request->maps`); decides setgroups for the gid map. The first
// refusal is the error, before anything is written.
Status AuthorizeMaps(const Caller& caller, const PolicyFile& passwd, const std::vector<PolicyFile>& subid_files,
                     HelperRequest* request) {
  UXC_ASSIGN_OR_RETURN(auto user_names, CallerNames(caller.uid, passwd));
  for (size_t i = 0; i < request->maps.size(); ++i) {
    MapToWrite& map = request->maps[i];
    UXC_ASSIGN_OR_RETURN(auto policy, LoadPolicy(map.kind, caller, user_names, subid_files[i]));
    UXC_ASSIGN_OR_RETURN(auto from_subid, AuthorizeRanges(policy, map.ranges));
    bool any_subid = std::find(from_subid.begin(), from_subid.end(), true) != from_subid.end();
    map.deny_setgroups = map.kind == IdKind::kGid && !any_subid;
  }
  return OkStatus();
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
  KindNames names = NamesFor(kind);
  UXC_ASSIGN_OR_RETURN(auto raised, RaisedCapabilities::Raise(CapabilitiesFor(kind)));
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
  UXC_RETURN_IF_ERROR(raised.Lower());
  if (written < 0) {
    return ErrnoError(write_errno, std::string("write ") + names.map_file + " of " + target.label +
                                       " (are the outside ids mapped in your own namespace?)");
  }
  if (static_cast<size_t>(written) != text.size()) {
    return PlainError(std::string("short write to ") + names.map_file + " of " + target.label);
  }
  return OkStatus();
}

// Each map in turn, through the one directory fd the checks used. A map's
// capabilities are dropped for good once it is written.
Status WriteMaps(const HelperRequest& request, const TargetProcess& target) {
  for (size_t i = 0; i < request.maps.size(); ++i) {
    const MapToWrite& map = request.maps[i];
    if (map.deny_setgroups) UXC_RETURN_IF_ERROR(DenySetgroups(target));
    UXC_RETURN_IF_ERROR(WriteMap(map.kind, target, FormatMap(map.ranges)));
    if (i + 1 < request.maps.size()) UXC_RETURN_IF_ERROR(DropPermitted(CapabilitiesFor(map.kind)));
  }
  return OkStatus();
}

int Run(const Program& program, int argc, char** argv) {
  Caller caller = StartSetuid(program.name, {TargetFdArgument(argc, argv)});
  auto fail = [&](const Error& error) { Exit(program.name, error); };

  PolicyFile passwd = OpenPolicyFile("/etc/passwd");
  std::vector<PolicyFile> subid_files;
  std::vector<cap_value_t> capabilities;
  for (IdKind kind : program.kinds) {
    subid_files.push_back(OpenPolicyFile(NamesFor(kind).subid_file));
    for (cap_value_t cap : CapabilitiesFor(kind)) capabilities.push_back(cap);
  }
  if (Status dropped = DropToCaller(caller, capabilities); !dropped.ok()) fail(dropped.error());

  std::vector<std::string_view> args(argv + (argc > 0 ? 1 : argc), argv + argc);
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) return Print(HelpText(program));
  if (args.size() == 1 && (args[0] == "--version" || args[0] == "-V")) {
    return Print(std::string(program.name) + " (uxc) " + kVersion + "\n");
  }
  auto request = ParseRequest(program, args);
  if (!request.ok()) Exit(program.name, request.error().ToString() + " (see " + program.name + " --help)");
  if (Status shape = CheckShapes(*request); !shape.ok()) fail(shape.error());
  if (!MapsHostRoot(*request)) {
    if (Status status = DropPermitted({CAP_SETFCAP}); !status.ok()) fail(status.error());
  }

  // The ranges first: they need no target, so a wait:N helper has checked
  // them before the pid arrives.
  if (Status status = AuthorizeMaps(caller, passwd, subid_files, &*request); !status.ok()) fail(status.error());
  auto target = OpenTarget(request->target);
  if (!target.ok()) fail(target.error());
  if (Status status = CheckTargetBelongsTo(*target, caller); !status.ok()) fail(status.error());
  for (const MapToWrite& map : request->maps) {
    if (Status status = CheckNotMapped(*target, map.kind); !status.ok()) fail(status.error());
  }
  if (Status status = WriteMaps(*request, *target); !status.ok()) fail(status.error());
  return 0;
}

}  // namespace

int RunIdMapHelper(IdKind kind, int argc, char** argv) {
  return Run({kind == IdKind::kUid ? "uxc-newuidmap" : "uxc-newgidmap", {kind}}, argc, argv);
}

int RunIdMapsHelper(int argc, char** argv) { return Run({"uxc-newidmap", {IdKind::kUid, IdKind::kGid}}, argc, argv); }

}  // namespace uxc::helpers

#include "launcher/cli/host_facts.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <sys/acl.h>
#include <acl/libacl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "base/read_file.h"
#include "base/unique_fd.h"
#include "config/content_lines.h"
#include "config/tool_settings.h"
#include "kernel/cgroup.h"
#include "kernel/cgroup_files.h"
#include "kernel/cgroup_layout.h"
#include "launcher/engine/helper_path.h"

namespace uxc::cli {
namespace {

using kernel::CgroupLayout;
using kernel::ParseCgroupLayout;

std::optional<std::string> ReadTrimmed(const std::string& path) {
  Result<std::string> text = ReadSmallFile(path);
  if (!text.ok()) return std::nullopt;
  std::string_view first_line = std::string_view(*text).substr(0, text->find('\n'));
  return std::string(Trim(first_line));
}

std::string ReadOrEmpty(const std::string& path) {
  Result<std::string> text = ReadSmallFile(path, 16 << 20);
  return text.ok() ? *text : "";
}

std::vector<char> NssBuffer() {
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  return std::vector<char>(size > 0 ? std::max<size_t>(static_cast<size_t>(size), 16384) : 16384);
}

std::string UserName(uid_t uid) {
  std::vector<char> buffer = NssBuffer();
  struct passwd entry;
  struct passwd* found = nullptr;
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) return "";
  return found->pw_name;
}

std::string GroupName(gid_t gid) {
  std::vector<char> buffer = NssBuffer();
  struct group entry;
  struct group* found = nullptr;
  if (getgrgid_r(gid, &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) return "";
  return found->gr_name;
}

// The process's groups, as uxc-user-nic will see them.
std::vector<std::string> GroupNames() {
  std::vector<gid_t> gids(static_cast<size_t>(std::max(getgroups(0, nullptr), 0)));
  int count = getgroups(static_cast<int>(gids.size()), gids.data());
  gids.resize(static_cast<size_t>(std::max(count, 0)));
  gids.insert(gids.begin(), getgid());
  std::vector<std::string> names;
  for (gid_t gid : gids) {
    std::string name = GroupName(gid);
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

std::vector<std::string> Namespaces() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/ns", error)) {
    names.push_back(entry.path().filename());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::string> ReadGzip(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return ErrnoError("open " + path);
  gzFile file = gzdopen(fd.get(), "rb");
  if (file == nullptr) return PlainError("gzdopen " + path + ": out of memory");
  fd.Release();  // gzclose closes it
  std::string text;
  char buffer[65536];
  int got;
  while ((got = gzread(file, buffer, sizeof buffer)) > 0 && text.size() < (16 << 20)) text.append(buffer, got);
  bool failed = got < 0;
  gzclose(file);
  if (failed) return PlainError("decompress " + path + ": corrupt gzip data");
  return text;
}

void ReadKernelConfig(HostFacts& facts) {
  if (Result<std::string> text = ReadGzip("/proc/config.gz"); text.ok()) {
    facts.kernel_config_source = "/proc/config.gz";
    facts.kernel_config = std::move(*text);
    return;
  }
  std::string boot = "/boot/config-" + facts.kernel_release;
  if (Result<std::string> text = ReadSmallFile(boot, 16 << 20); text.ok()) {
    facts.kernel_config_source = boot;
    facts.kernel_config = std::move(*text);
  }
}

// Whether this user may make a user namespace, tried for real in a child:
// sysctls, AppArmor or a seccomp policy may refuse it whatever the kernel
// config says. Returns the errno, or 0.
int ProbeUserNamespace() {
  pid_t child = fork();
  if (child < 0) return errno;
  if (child == 0) _exit(unshare(CLONE_NEWUSER) == 0 ? 0 : (errno & 0x7f));
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) return errno;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : ECHILD;
}

// The words of a list file, as the kernel wrote them; "" when unreadable.
std::string JoinWords(const Result<std::vector<std::string>>& words) {
  return words.ok() ? kernel::FormatControllerList(*words) : "";
}

void ReadCgroups(HostFacts& facts) {
  facts.mountinfo = ReadOrEmpty("/proc/self/mountinfo");
  facts.self_cgroup = ReadOrEmpty("/proc/self/cgroup");
  CgroupLayout layout = ParseCgroupLayout(facts.mountinfo, facts.self_cgroup);
  if (!layout.v2_mount) return;
  facts.cgroup2_root_controllers = ReadTrimmed(layout.v2_mount->mount_point + "/cgroup.controllers").value_or("");
  auto point = kernel::DelegationPointOf(layout);
  if (!point.ok()) return;
  Cgroup2DirFacts dir;
  dir.path = point->cgroup.path();
  dir.writable = point->writable;
  dir.controllers = JoinWords(point->cgroup.Controllers());
  dir.subtree_control = JoinWords(point->cgroup.EnabledForChildren());
  facts.own_cgroup2 = dir;
}

// The user's own lines may be quoted in messages about the file; others' not.
config::QuotableLines OwnLines(const HostFacts& host) { return config::QuotableLines{{host.user}, host.uid}; }

template <typename T, typename Parse>
FileFacts<T> ReadPolicy(const std::string& path, Parse parse, const config::QuotableLines& quotable) {
  FileFacts<T> facts;
  facts.path = path;
  auto records = parse(path, quotable);
  if (records.ok()) {
    facts.records = std::move(*records);
  } else {
    facts.error = records.take_error();
  }
  return facts;
}

Result<std::vector<config::NicRecord>> ReadNicDb(const std::string& path, const config::QuotableLines& quotable) {
  UXC_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
  return config::ParseNicDb(text, path, quotable);
}

bool IsExecutableFile(const std::string& path) {
  struct stat status;
  return stat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode) && access(path.c_str(), X_OK) == 0;
}

// Where a start looks for a helper (config/tool_settings.h): the uxc.conf
// path, else the start's own search (helper_path.h).
std::string LocateHelper(const std::string& name, const std::string& configured) {
  if (!configured.empty()) return IsExecutableFile(configured) ? configured : "";
  return launcher::SearchHelper(name);
}

HelperFacts InspectHelper(const std::string& name, const std::string& setting, const std::string& configured) {
  HelperFacts helper;
  helper.name = name;
  helper.setting = setting;
  helper.configured = configured;
  helper.path = LocateHelper(name, configured);
  if (helper.path.empty()) return helper;
  struct stat status;
  helper.executable = stat(helper.path.c_str(), &status) == 0;
  helper.setuid_root = helper.executable && (status.st_mode & S_ISUID) && status.st_uid == 0;
  helper.file_capabilities = getxattr(helper.path.c_str(), "security.capability", nullptr, 0) > 0;
  return helper;
}

void ReadHelpers(HostFacts& facts, const config::ToolSettings& settings) {
  // uxc-newidmap has no uxc.conf key: it is found next to uxc, in its prefix's libexec/uxc or on PATH, and
  // used only while uxc.conf names neither helper of the pair.
  HelperFacts combined = InspectHelper("uxc-newidmap", "", "");
  combined.optional = true;
  combined.bypassed = !settings.newuidmap.empty() || !settings.newgidmap.empty();
  facts.helpers = {
      combined,
      InspectHelper("uxc-newuidmap", "uxc.newuidmap", settings.newuidmap),
      InspectHelper("uxc-newgidmap", "uxc.newgidmap", settings.newgidmap),
      InspectHelper("uxc-user-nic", "uxc.user_nic", settings.user_nic),
  };
}

void ReadNetworkPolicy(HostFacts& facts, const std::string& system_dir) {
  facts.usernet = ReadPolicy<config::UsernetEntry>(system_dir + "/usernet", config::ParseUsernetFile, OwnLines(facts));
  facts.nic_db = ReadPolicy<config::NicRecord>(config::kNicDbPath, ReadNicDb, OwnLines(facts));
  for (const config::UsernetEntry& entry : config::EntriesFor(facts.usernet.records, facts.user, facts.groups)) {
    if (entry.bridge == "none") continue;
    struct stat status;
    facts.bridges[entry.bridge] = stat(("/sys/class/net/" + entry.bridge + "/bridge").c_str(), &status) == 0;
  }
}

}  // namespace

std::vector<AclEntry> ExtendedAcl(const std::string& path) {
  std::vector<AclEntry> entries;
  acl_t acl = acl_get_file(path.c_str(), ACL_TYPE_ACCESS);
  if (acl == nullptr) return entries;
  bool extended = false;
  acl_entry_t entry;
  for (int found = acl_get_entry(acl, ACL_FIRST_ENTRY, &entry); found == 1;
       found = acl_get_entry(acl, ACL_NEXT_ENTRY, &entry)) {
    acl_tag_t tag;
    acl_permset_t permset;
    if (acl_get_tag_type(entry, &tag) != 0 || acl_get_permset(entry, &permset) != 0) continue;
    AclEntry parsed;
    parsed.execute = acl_get_perm(permset, ACL_EXECUTE) == 1;
    if (tag == ACL_USER || tag == ACL_GROUP) {
      void* qualifier = acl_get_qualifier(entry);
      if (qualifier == nullptr) continue;
      parsed.id = tag == ACL_USER ? *static_cast<uid_t*>(qualifier) : *static_cast<gid_t*>(qualifier);
      acl_free(qualifier);
      parsed.tag = tag == ACL_USER ? AclEntry::Tag::kUser : AclEntry::Tag::kGroup;
    } else if (tag == ACL_GROUP_OBJ) {
      parsed.tag = AclEntry::Tag::kOwningGroup;
    } else if (tag == ACL_MASK) {
      parsed.tag = AclEntry::Tag::kMask;
      extended = true;
    } else {
      continue;
    }
    entries.push_back(parsed);
  }
  acl_free(acl);
  if (!extended) entries.clear();
  return entries;
}

// "/", "/home", "/home/alice", ... down to the deepest existing directory.
std::vector<DirectoryFacts> DirectoriesOnTheWay(const std::string& path) {
  std::vector<DirectoryFacts> dirs;
  if (path.empty() || path[0] != '/') return dirs;
  std::vector<std::string> prefixes = {"/"};
  std::string prefix;
  for (size_t at = 1; at <= path.size();) {
    size_t slash = path.find('/', at);
    if (slash == std::string::npos) slash = path.size();
    if (slash > at) prefixes.push_back(prefix += "/" + path.substr(at, slash - at));
    at = slash + 1;
  }
  for (const std::string& dir : prefixes) {
    struct stat st;
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) break;
    dirs.push_back({dir, st.st_uid, st.st_gid, st.st_mode, ExtendedAcl(dir)});
  }
  return dirs;
}

HostFacts GatherHostFacts() {
  HostFacts facts;
  facts.uid = getuid();
  facts.user = UserName(facts.uid);
  facts.groups = GroupNames();

  config::ToolEnvironment env = config::CurrentToolEnvironment();
  Result<config::ToolSettings> settings = config::LoadToolSettings(env);
  if (!settings.ok()) facts.settings_error = settings.error();

  struct utsname name;
  if (uname(&name) == 0) facts.kernel_release = name.release;
  facts.namespaces = Namespaces();
  ReadKernelConfig(facts);
  facts.max_user_namespaces = ReadTrimmed("/proc/sys/user/max_user_namespaces");
  facts.unprivileged_userns_clone = ReadTrimmed("/proc/sys/kernel/unprivileged_userns_clone");
  facts.apparmor_restrict_userns = ReadTrimmed("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
  facts.userns_probe_errno = ProbeUserNamespace();

  ReadCgroups(facts);
  facts.subuid = ReadPolicy<config::SubidRange>("/etc/subuid", config::ParseSubidFile, OwnLines(facts));
  facts.subgid = ReadPolicy<config::SubidRange>("/etc/subgid", config::ParseSubidFile, OwnLines(facts));
  ReadHelpers(facts, settings.ok() ? *settings : config::ToolSettings{});
  ReadNetworkPolicy(facts, env.system_dir);
  if (settings.ok()) {
    facts.container_path = settings->container_path;
    facts.container_path_dirs = DirectoriesOnTheWay(settings->container_path);
  }
  return facts;
}

}  // namespace uxc::cli

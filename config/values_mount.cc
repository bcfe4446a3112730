// lxc.mount.entry (fstab syntax with LXC's options) and lxc.mount.auto.
#include <sys/mount.h>

#include <array>

#include "config/text_util.h"
#include "config/values.h"

namespace uxc::config {
namespace {

// getmntent(3) decodes these octal escapes in every field.
std::string DecodeFstabField(std::string_view field) {
  static constexpr std::array<std::pair<std::string_view, char>, 4> kEscapes = {{
      {"\\040", ' '}, {"\\011", '\t'}, {"\\012", '\n'}, {"\\134", '\\'}}};
  std::string decoded;
  for (size_t i = 0; i < field.size(); ++i) {
    bool replaced = false;
    for (const auto& [escape, character] : kEscapes) {
      if (field.substr(i, escape.size()) == escape) {
        decoded.push_back(character);
        i += escape.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) decoded.push_back(field[i]);
  }
  return decoded;
}

struct FlagOption {
  std::string_view name;
  bool clear;  // the option removes `flag` instead of setting it
  unsigned long flag;
};

// The options mount(8) turns into MS_* flags.
constexpr std::array<FlagOption, 29> kFlagOptions = {{
    {"defaults", false, 0},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"suid", true, MS_NOSUID},
    {"nosuid", false, MS_NOSUID},
    {"dev", true, MS_NODEV},
    {"nodev", false, MS_NODEV},
    {"exec", true, MS_NOEXEC},
    {"noexec", false, MS_NOEXEC},
    {"sync", false, MS_SYNCHRONOUS},
    {"async", true, MS_SYNCHRONOUS},
    {"dirsync", false, MS_DIRSYNC},
    {"remount", false, MS_REMOUNT},
    {"mand", false, MS_MANDLOCK},
    {"nomand", true, MS_MANDLOCK},
    {"atime", true, MS_NOATIME},
    {"noatime", false, MS_NOATIME},
    {"diratime", true, MS_NODIRATIME},
    {"nodiratime", false, MS_NODIRATIME},
    {"bind", false, MS_BIND},
    {"rbind", false, MS_BIND | MS_REC},
    {"relatime", false, MS_RELATIME},
    {"norelatime", true, MS_RELATIME},
    {"strictatime", false, MS_STRICTATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"lazytime", false, MS_LAZYTIME},
    {"nolazytime", true, MS_LAZYTIME},
    {"silent", false, MS_SILENT},
    {"loud", true, MS_SILENT},
}};

constexpr std::array<std::pair<std::string_view, unsigned long>, 8> kPropagationOptions = {{
    {"private", MS_PRIVATE},
    {"rprivate", MS_PRIVATE | MS_REC},
    {"slave", MS_SLAVE},
    {"rslave", MS_SLAVE | MS_REC},
    {"shared", MS_SHARED},
    {"rshared", MS_SHARED | MS_REC},
    {"unbindable", MS_UNBINDABLE},
    {"runbindable", MS_UNBINDABLE | MS_REC},
}};

// fstab options that only matter to mount(8) or to boot; a mount call
// never sees them.
constexpr std::array<std::string_view, 7> kIgnoredOptions = {
    "auto", "noauto", "user", "nouser", "users", "_netdev", "nofail"};

bool ApplyFlagOption(std::string_view option, MountEntry* entry) {
  for (const FlagOption& candidate : kFlagOptions) {
    if (candidate.name != option) continue;
    if (candidate.clear) {
      entry->flags &= ~candidate.flag;
    } else {
      entry->flags |= candidate.flag;
    }
    return true;
  }
  for (const auto& [name, flag] : kPropagationOptions) {
    if (name == option) {
      entry->propagation = flag;
      return true;
    }
  }
  for (std::string_view ignored : kIgnoredOptions) {
    if (ignored == option) return true;
  }
  return false;
}

Status ApplyLxcOption(std::string_view option, MountEntry* entry, bool* handled) {
  *handled = true;
  if (option == "optional") {
    entry->optional = true;
  } else if (option == "relative") {
    entry->relative = true;
  } else if (option == "create=dir") {
    entry->create = MountEntry::Create::kDir;
  } else if (option == "create=file") {
    entry->create = MountEntry::Create::kFile;
  } else if (StartsWith(option, "create=")) {
    return PlainError("mount option " + Quote(option) + " is not create=dir or create=file");
  } else {
    *handled = false;
  }
  return OkStatus();
}

Status ApplyOptions(std::string_view options, MountEntry* entry) {
  std::string data;
  for (std::string_view option : Split(options, ',')) {
    if (option.empty()) continue;
    bool handled = false;
    UXC_RETURN_IF_ERROR(ApplyLxcOption(option, entry, &handled));
    if (handled || ApplyFlagOption(option, entry)) continue;
    if (!data.empty()) data.push_back(',');
    data.append(option);
  }
  entry->data = std::move(data);
  return OkStatus();
}

const char kMountEntryForm[] =
    "write \"SOURCE TARGET TYPE OPTIONS [DUMP [PASS]]\" as in fstab(5), e.g. "
    "\"/srv/data srv/data none bind,create=dir 0 0\"";

}  // namespace

bool MountEntry::is_bind() const { return (flags & MS_BIND) != 0; }

Result<MountEntry> ParseMountEntry(std::string_view value) {
  std::vector<std::string_view> fields = SplitFields(value);
  if (fields.size() < 3 || fields.size() > 6) {
    return PlainError("not a mount entry: " + Quote(value) + "; " + kMountEntryForm);
  }
  for (size_t i = 4; i < fields.size(); ++i) {
    if (!ParseUnsigned(fields[i], 9).ok()) {
      return PlainError("mount entry " + Quote(value) + ": the dump and pass fields must be "
                        "small numbers (write 0 0); " + kMountEntryForm);
    }
  }
  MountEntry entry;
  entry.source = DecodeFstabField(fields[0]);
  entry.target = DecodeFstabField(fields[1]);
  entry.fstype = DecodeFstabField(fields[2]);
  if (fields.size() >= 4) {
    Status options = ApplyOptions(DecodeFstabField(fields[3]), &entry);
    if (!options.ok()) {
      return PlainError("mount entry " + Quote(value) + ": " + options.error().message);
    }
  }
  return entry;
}

// ---- lxc.mount.auto ----

namespace {

struct AutoToken {
  std::string_view token;
  enum class Category { kProc, kSys, kCgroup } category;
  int mode;  // the enum value within the category
  bool force = false;
};

using Cg = MountAuto::Cgroup;
constexpr std::array<AutoToken, 27> kAutoTokens = {{
    {"proc", AutoToken::Category::kProc, static_cast<int>(MountAuto::Proc::kMixed)},
    {"proc:mixed", AutoToken::Category::kProc, static_cast<int>(MountAuto::Proc::kMixed)},
    {"proc:rw", AutoToken::Category::kProc, static_cast<int>(MountAuto::Proc::kRw)},
    {"sys", AutoToken::Category::kSys, static_cast<int>(MountAuto::Sys::kMixed)},
    {"sys:ro", AutoToken::Category::kSys, static_cast<int>(MountAuto::Sys::kRo)},
    {"sys:mixed", AutoToken::Category::kSys, static_cast<int>(MountAuto::Sys::kMixed)},
    {"sys:rw", AutoToken::Category::kSys, static_cast<int>(MountAuto::Sys::kRw)},
    {"cgroup2", AutoToken::Category::kCgroup, static_cast<int>(Cg::kCgroup2Rw), true},
    {"cgroup2:ro", AutoToken::Category::kCgroup, static_cast<int>(Cg::kCgroup2Ro), true},
    {"cgroup2:force", AutoToken::Category::kCgroup, static_cast<int>(Cg::kCgroup2Rw), true},
    {"cgroup2:ro:force", AutoToken::Category::kCgroup, static_cast<int>(Cg::kCgroup2Ro), true},
    {"cgroup", AutoToken::Category::kCgroup, static_cast<int>(Cg::kDefault)},
    {"cgroup:mixed", AutoToken::Category::kCgroup, static_cast<int>(Cg::kMixed)},
    {"cgroup:ro", AutoToken::Category::kCgroup, static_cast<int>(Cg::kRo)},
    {"cgroup:rw", AutoToken::Category::kCgroup, static_cast<int>(Cg::kRw)},
    {"cgroup:force", AutoToken::Category::kCgroup, static_cast<int>(Cg::kDefault), true},
    {"cgroup:mixed:force", AutoToken::Category::kCgroup, static_cast<int>(Cg::kMixed), true},
    {"cgroup:ro:force", AutoToken::Category::kCgroup, static_cast<int>(Cg::kRo), true},
    {"cgroup:rw:force", AutoToken::Category::kCgroup, static_cast<int>(Cg::kRw), true},
    {"cgroup-full", AutoToken::Category::kCgroup, static_cast<int>(Cg::kFullDefault)},
    {"cgroup-full:mixed", AutoToken::Category::kCgroup, static_cast<int>(Cg::kFullMixed)},
    {"cgroup-full:ro", AutoToken::Category::kCgroup, static_cast<int>(Cg::kFullRo)},
    {"cgroup-full:rw", AutoToken::Category::kCgroup, static_cast<int>(Cg::kFullRw)},
    {"cgroup-full:force", AutoToken::Category::kCgroup, static_cast<int>(Cg::kFullDefault), true},
    {"cgroup-full:mixed:force", AutoToken::Category::kCgroup, static_cast<int>(Cg::kFullMixed),
     true},
    {"cgroup-full:ro:force", AutoToken::Category::kCgroup, static_cast<int>(Cg::kFullRo), true},
    {"cgroup-full:rw:force", AutoToken::Category::kCgroup, static_cast<int>(Cg::kFullRw), true},
}};

const AutoToken* FindAutoToken(std::string_view token) {
  for (const AutoToken& candidate : kAutoTokens) {
    if (candidate.token == token) return &candidate;
  }
  return nullptr;
}

Status ApplyShmounts(std::string_view token, MountAuto* into) {
  std::string_view paths = token.substr(9);  // after "shmounts:"
  size_t colon = paths.find(':');
  std::string_view host = paths.substr(0, colon);
  std::string_view container =
      colon == std::string_view::npos ? std::string_view() : paths.substr(colon + 1);
  if (host.empty()) {
    return PlainError("lxc.mount.auto token " + Quote(token) +
                      " lacks a host path; write shmounts:HOST_PATH[:CONTAINER_PATH]");
  }
  into->shmounts_host = std::string(host);
  into->shmounts_container = container.empty() ? "/dev/.lxc-mounts" : std::string(container);
  return OkStatus();
}

std::string_view TokenFor(AutoToken::Category category, int mode, bool force) {
  for (const AutoToken& candidate : kAutoTokens) {
    if (candidate.category == category && candidate.mode == mode && candidate.force == force &&
        candidate.token.find(':') != std::string_view::npos) {
      return candidate.token;
    }
  }
  for (const AutoToken& candidate : kAutoTokens) {
    if (candidate.category == category && candidate.mode == mode && candidate.force == force) {
      return candidate.token;
    }
  }
  return {};
}

}  // namespace

bool MountAuto::empty() const {
  return proc == Proc::kNone && sys == Sys::kNone && cgroup == Cgroup::kNone &&
         shmounts_host.empty();
}

std::string MountAuto::ToString() const {
  std::vector<std::string> tokens;
  if (proc != Proc::kNone) {
    tokens.emplace_back(TokenFor(AutoToken::Category::kProc, static_cast<int>(proc), false));
  }
  if (sys != Sys::kNone) {
    tokens.emplace_back(TokenFor(AutoToken::Category::kSys, static_cast<int>(sys), false));
  }
  if (cgroup != Cgroup::kNone) {
    tokens.emplace_back(
        TokenFor(AutoToken::Category::kCgroup, static_cast<int>(cgroup), cgroup_force));
  }
  if (!shmounts_host.empty()) {
    tokens.push_back("shmounts:" + shmounts_host + ":" + shmounts_container);
  }
  std::string joined;
  for (const std::string& token : tokens) {
    if (!joined.empty()) joined.push_back(' ');
    joined += token;
  }
  return joined;
}

Status ApplyMountAuto(std::string_view value, MountAuto* into) {
  MountAuto result = *into;
  for (std::string_view token : SplitFields(value)) {
    if (StartsWith(token, "shmounts:")) {
      UXC_RETURN_IF_ERROR(ApplyShmounts(token, &result));
      continue;
    }
    const AutoToken* known = FindAutoToken(token);
    if (known == nullptr) {
      return PlainError("unknown lxc.mount.auto token " + Quote(token) +
                        "; use proc[:mixed|:rw], sys[:ro|:mixed|:rw], "
                        "cgroup[:mixed|:ro|:rw][:force], cgroup-full[...], cgroup2[:ro][:force] "
                        "or shmounts:HOST[:CONTAINER]");
    }
    switch (known->category) {
      case AutoToken::Category::kProc:
        result.proc = static_cast<MountAuto::Proc>(known->mode);
        break;
      case AutoToken::Category::kSys:
        result.sys = static_cast<MountAuto::Sys>(known->mode);
        break;
      case AutoToken::Category::kCgroup:
        result.cgroup = static_cast<MountAuto::Cgroup>(known->mode);
        result.cgroup_force = known->force;
        break;
    }
  }
  *into = std::move(result);
  return OkStatus();
}

Result<MountAuto> ParseMountAuto(std::string_view value) {
  MountAuto mount_auto;
  UXC_RETURN_IF_ERROR(ApplyMountAuto(value, &mount_auto));
  return mount_auto;
}

}  // namespace uxc::config

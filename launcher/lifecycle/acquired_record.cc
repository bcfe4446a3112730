#include "launcher/lifecycle/acquired_record.h"

#include <cerrno>
#include <cstdio>
#include <sys/stat.h>

#include "launcher/lifecycle/key_value_file.h"
#include "launcher/lifecycle/runtime_paths.h"

namespace uxc::lifecycle {
namespace {

constexpr std::string_view kVersionLine = "uxc-acquired 1";
constexpr size_t kMostRecordBytes = 256 * 1024;
constexpr char kCorrupt[] =
    "the record of what the container acquired is corrupt: release by hand what it names, then remove the file";

constexpr std::pair<AcquiredKind, std::string_view> kKinds[] = {
    {AcquiredKind::kRuntimeFiles, "runtime-files"},
    {AcquiredKind::kStopHooks, "stop-hooks"},
    {AcquiredKind::kCgroup, "cgroup"},
    {AcquiredKind::kNic, "nic"},
};
constexpr std::pair<AcquiredStatus, std::string_view> kStatuses[] = {
    {AcquiredStatus::kIntent, "intent"},
    {AcquiredStatus::kConfirmed, "confirmed"},
    {AcquiredStatus::kReleased, "released"},
};
constexpr std::pair<CgroupRole, std::string_view> kCgroupRoles[] = {
    {CgroupRole::kPayload, "payload"},
    {CgroupRole::kMonitor, "monitor"},
    {CgroupRole::kParent, "parent"},
};
constexpr std::pair<security::HookType, std::string_view> kHookTypes[] = {
    {security::HookType::kStop, "stop"},
    {security::HookType::kPostStop, "post-stop"},
    {security::HookType::kNetScript, "net"},
};

template <typename T, size_t N>
std::string_view NameOf(const std::pair<T, std::string_view> (&table)[N], T value) {
  for (const auto& [known, name] : table) {
    if (known == value) return name;
  }
  return "?";
}

template <typename T, size_t N>
bool ValueOf(const std::pair<T, std::string_view> (&table)[N], std::string_view name, T* value) {
  for (const auto& [known, known_name] : table) {
    if (known_name == name) {
      *value = known;
      return true;
    }
  }
  return false;
}

std::string Escape(std::string_view text) {
  std::string escaped;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '\n') {
      escaped += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", byte);
      escaped += hex;
    } else {
      escaped += c;
    }
  }
  return escaped;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

Result<std::string> Unescape(std::string_view text) {
  std::string plain;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      plain += text[i];
      continue;
    }
    if (i + 1 < text.size() && (text[i + 1] == '\\' || text[i + 1] == 'n')) {
      plain += text[i + 1] == 'n' ? '\n' : '\\';
      ++i;
      continue;
    }
    int high = i + 3 < text.size() && text[i + 1] == 'x' ? HexDigit(text[i + 2]) : -1;
    int low = high >= 0 ? HexDigit(text[i + 3]) : -1;
    if (low < 0) return PlainError("a bad escape in \"" + Escape(text) + "\"");
    plain += static_cast<char>(high * 16 + low);
    i += 3;
  }
  return plain;
}

void AppendLine(std::string& text, std::string_view key, std::string_view value) {
  text += std::string(key) + "=" + Escape(value) + "\n";
}

void AppendHooks(std::string& text, const security::StopHooks& hooks) {
  AppendLine(text, "hook-type", NameOf(kHookTypes, hooks.type));
  AppendLine(text, "hook-version", std::to_string(hooks.version));
  for (size_t i = 0; i < hooks.values.size(); ++i) {
    AppendLine(text, "hook", hooks.values[i]);
    AppendLine(text, "line", i < hooks.lines.size() ? hooks.lines[i] : "");
  }
  for (const std::string& entry : hooks.environment) AppendLine(text, "env", entry);
}

void AppendNic(std::string& text, const AcquiredEntry& entry) {
  if (!entry.target.empty()) AppendLine(text, "target", entry.target);
  AppendLine(text, "key", entry.nic.key);
  AppendLine(text, "bridge", entry.nic.bridge);
  AppendLine(text, "helper", entry.nic.helper);
  if (!entry.nic.container_nic.empty()) AppendLine(text, "nic", entry.nic.container_nic);
  if (!(entry.hooks == security::StopHooks{})) AppendHooks(text, entry.hooks);
}

// A nic's own keys; false when `key` is not one.
bool ApplyNicLine(std::string_view key, std::string value, AcquiredNic& nic) {
  std::string* field = key == "key" ? &nic.key
                       : key == "bridge" ? &nic.bridge
                       : key == "helper" ? &nic.helper
                       : key == "nic" ? &nic.container_nic
                                      : nullptr;
  if (field == nullptr) return false;
  *field = std::move(value);
  return true;
}

// The entry line: "KIND STATUS".
Result<AcquiredEntry> ParseEntry(std::string_view value) {
  size_t space = value.find(' ');
  AcquiredEntry entry;
  if (space == std::string_view::npos || !ValueOf(kKinds, value.substr(0, space), &entry.kind) ||
      !ValueOf(kStatuses, value.substr(space + 1), &entry.status)) {
    return PlainError("expected \"entry=KIND STATUS\" (KIND runtime-files, stop-hooks, cgroup or nic; "
                      "STATUS intent, confirmed or released)");
  }
  return entry;
}

Status ApplyHookLine(std::string_view key, const std::string& value, security::StopHooks& hooks) {
  if (key == "hook-type") {
    if (!ValueOf(kHookTypes, value, &hooks.type)) return PlainError("hook-type is stop, post-stop or net");
  } else if (key == "hook-version") {
    if (value != "0" && value != "1") return PlainError("hook-version is 0 or 1");
    hooks.version = value == "1" ? 1 : 0;
  } else if (key == "hook") {
    hooks.values.push_back(value);
  } else if (key == "line") {
    if (hooks.lines.size() + 1 != hooks.values.size()) return PlainError("a line= without its hook=");
    hooks.lines.push_back(value);
  } else if (key == "env") {
    if (value.find('=') == std::string::npos) return PlainError("env= takes KEY=VALUE");
    hooks.environment.push_back(value);
  } else {
    return PlainError("unknown key \"" + std::string(key) + "\"");
  }
  return OkStatus();
}

Status ApplyLine(std::string_view key, std::string_view escaped, AcquiredRecord& record) {
  if (key == "entry") {
    UXC_ASSIGN_OR_RETURN(AcquiredEntry entry, ParseEntry(escaped));
    record.entries.push_back(std::move(entry));
    return OkStatus();
  }
  if (record.entries.empty()) return PlainError("\"" + std::string(key) + "\" before the first entry=");
  UXC_ASSIGN_OR_RETURN(std::string value, Unescape(escaped));
  AcquiredEntry& entry = record.entries.back();
  if (key == "target" && entry.kind != AcquiredKind::kStopHooks) {
    if (!entry.target.empty()) return PlainError("a second target");
    if (!value.starts_with("/") && entry.kind != AcquiredKind::kNic) return PlainError("the target is not absolute");
    if (value.empty()) return PlainError("the target is empty");
    entry.target = std::move(value);
    return OkStatus();
  }
  if (key == "cgroup-role" && entry.kind == AcquiredKind::kCgroup) {
    if (!ValueOf(kCgroupRoles, value, &entry.cgroup_role)) return PlainError("cgroup-role is payload, monitor or parent");
    return OkStatus();
  }
  if (entry.kind == AcquiredKind::kNic && ApplyNicLine(key, value, entry.nic)) return OkStatus();
  if (entry.kind == AcquiredKind::kStopHooks || entry.kind == AcquiredKind::kNic) {
    return ApplyHookLine(key, value, entry.hooks);
  }
  return PlainError("unknown key \"" + std::string(key) + "\" for this entry");
}

Status CheckComplete(const AcquiredEntry& entry) {
  if (entry.kind == AcquiredKind::kNic) {
    if (entry.nic.bridge.empty() || entry.nic.helper.empty()) return PlainError("a nic without its bridge= and helper=");
    if (entry.target.empty() && entry.status != AcquiredStatus::kIntent) return PlainError("a nic without its target=");
    if (entry.hooks.lines.size() != entry.hooks.values.size()) return PlainError("a hook= without its line=");
    return OkStatus();
  }
  if (entry.kind == AcquiredKind::kStopHooks) {
    if (entry.hooks.lines.size() != entry.hooks.values.size()) return PlainError("a hook= without its line=");
    return OkStatus();
  }
  if (entry.target.empty()) return PlainError("an entry without its target=");
  return OkStatus();
}

}  // namespace

std::string AcquiredRecordPath(const std::string& runtime_dir) { return PathsIn(runtime_dir).acquired; }

std::string SerializeAcquired(const AcquiredRecord& record) {
  std::string text = std::string(kVersionLine) + "\n";
  for (const AcquiredEntry& entry : record.entries) {
    text += "entry=" + std::string(NameOf(kKinds, entry.kind)) + " " + std::string(NameOf(kStatuses, entry.status)) +
            "\n";
    if (entry.kind == AcquiredKind::kStopHooks) {
      AppendHooks(text, entry.hooks);
    } else if (entry.kind == AcquiredKind::kNic) {
      AppendNic(text, entry);
    } else {
      AppendLine(text, "target", entry.target);
    }
    if (entry.kind == AcquiredKind::kCgroup) AppendLine(text, "cgroup-role", NameOf(kCgroupRoles, entry.cgroup_role));
  }
  return text;
}

Result<AcquiredRecord> ParseAcquired(std::string_view text, const std::string& origin) {
  AcquiredRecord record;
  int line = 0;
  int entry_line = 0;
  auto apply = [&](std::string_view key, std::string_view value) -> Status {
    ++line;
    if (key == "entry" && !record.entries.empty()) {
      Status complete = CheckComplete(record.entries.back());
      if (!complete.ok()) return PlainError("the entry of line " + std::to_string(entry_line) + ": " +
                                            complete.error().message);
    }
    if (key == "entry") entry_line = line + 1;
    return ApplyLine(key, value, record);
  };
  UXC_ASSIGN_OR_RETURN(int lines, ParseKeyValueLines(text, origin, kVersionLine, apply, kCorrupt));
  if (!record.entries.empty()) {
    Status complete = CheckComplete(record.entries.back());
    if (!complete.ok()) {
      return PlainError(origin + ":" + std::to_string(lines) + ": " + complete.error().message + "; " + kCorrupt);
    }
  }
  return record;
}

Result<std::optional<AcquiredRecord>> ReadAcquiredFile(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0 && errno == ENOENT) return std::optional<AcquiredRecord>();
  UXC_ASSIGN_OR_RETURN(std::string text,
                       ReadSmallFile(path, kMostRecordBytes, "the record of what the container acquired"));
  UXC_ASSIGN_OR_RETURN(AcquiredRecord record, ParseAcquired(text, path));
  return std::optional<AcquiredRecord>(std::move(record));
}

Status WriteAcquiredFile(const std::string& path, const AcquiredRecord& record) {
  return WriteFileAtomically(path, SerializeAcquired(record), "the record of what the container acquired");
}

}  // namespace uxc::lifecycle

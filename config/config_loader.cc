// LoadContainerConfig: reads the layers in order, follows includes, renames
// deprecated keys, checks each value and combines the lines of each key
// (override, accumulate, merge, clear), then checks the merged result.
#include <string>
#include <vector>

#include "config/config_files.h"
#include "config/config_text.h"
#include "config/config_validation.h"
#include "config/container_config.h"
#include "config/deprecated_keys.h"
#include "config/keys.h"
#include "config/text_util.h"
#include "config/values.h"

namespace uxc::config {
namespace {

// LXC has no limit and recurses until it runs out of stack or fds.
constexpr size_t kMaxIncludeDepth = 16;

std::string At(const Origin& origin) { return origin.ToString() + ": "; }

std::string DirectoryOf(const std::string& file) {
  size_t slash = file.rfind('/');
  if (slash == std::string::npos) return "";
  return file.substr(0, slash + 1);
}

// Relative include paths resolve against the including file's directory,
// not the caller's working directory as in LXC: a config then means the
// same wherever uxc runs. Includes from -s resolve against the cwd.
std::string ResolveIncludePath(const std::string& path, const Origin& origin) {
  if (path.empty() || path[0] == '/' || origin.line == 0) return path;
  return DirectoryOf(origin.file) + path;
}

class ConfigBuilder {
 public:
  // Reads one layer file. A missing optional layer is skipped.
  Status ApplyLayerFile(const std::string& path, bool optional);
  Status ApplyLayerText(std::string_view text, const std::string& file);
  Status ApplyOverride(std::string_view text);
  Result<ContainerConfig> Finish(std::span<const BuildLimit> build_limits);

 private:
  struct Slot {
    Entry entry;
    int layer;
  };

  void StartLayer() {
    ++layer_;
    next_legacy_net_ = 0;
    legacy_net_ = -1;
  }
  Status ApplyFile(const std::string& path, const Origin* included_from);
  Status ApplyText(std::string_view text, const std::string& file);
  Status ApplyLine(const ConfigLine& line);
  Status ApplyDeprecated(const ConfigLine& line, const DeprecatedKey& deprecated);
  Status ApplyCurrent(const ConfigLine& line, const std::string& written_key);
  Status Include(const ConfigLine& line);
  Status IncludeDirectory(const std::string& dir, const ConfigLine& line);

  void Clear(const ResolvedKey& key);
  void SetScalar(const std::string& key, const std::string& value, const Origin& origin);
  void AddToList(const std::string& key, const std::string& value, const Origin& origin);
  Status MergeMountAuto(const std::string& key, const ConfigLine& line);
  void Warn(const Origin& origin, std::string message) {
    warnings_.push_back(Warning{origin, std::move(message)});
  }

  std::vector<Slot> slots_;
  std::vector<Warning> warnings_;
  int layer_ = -1;
  std::vector<FileId> include_stack_;
  // lxc.network.type numbers the interfaces of a layer from 0, as
  // lxc-update-config rewrites a file; -1 until the first one.
  int next_legacy_net_ = 0;
  int legacy_net_ = -1;
};

Status ConfigBuilder::ApplyLayerFile(const std::string& path, bool optional) {
  StartLayer();
  if (optional) {
    Result<PathKind> kind = KindOfPath(path);
    if (kind.ok() && *kind == PathKind::kMissing) return OkStatus();
  }
  return ApplyFile(path, nullptr);
}

Status ConfigBuilder::ApplyLayerText(std::string_view text, const std::string& file) {
  StartLayer();
  return ApplyText(text, file);
}

Status ConfigBuilder::ApplyOverride(std::string_view text) {
  StartLayer();
  UXC_ASSIGN_OR_RETURN(ConfigLine line, ParseOverride(text));
  return ApplyLine(line);
}

Status ConfigBuilder::ApplyFile(const std::string& path, const Origin* included_from) {
  Result<ConfigFile> file = ReadConfigFile(path);
  if (!file.ok()) {
    std::string reason = file.error().ToString();
    if (included_from != nullptr) {
      return PlainError(At(*included_from) + "lxc.include: " + reason +
                        "; fix the path or remove the line");
    }
    return PlainError("cannot read the container config: " + reason +
                      "; check the container's name or the config's path");
  }
  for (const FileId& open : include_stack_) {
    if (open == file->id) {
      return PlainError(At(*included_from) + "lxc.include of " + path +
                        " makes a cycle: that file is already being read; remove one of the "
                        "includes");
    }
  }
  if (include_stack_.size() >= kMaxIncludeDepth) {
    return PlainError(At(*included_from) + "lxc.include of " + path + " nests more than " +
                      std::to_string(kMaxIncludeDepth) + " files deep; flatten the includes");
  }
  include_stack_.push_back(file->id);
  Status status = ApplyText(file->text, path);
  include_stack_.pop_back();
  return status;
}

Status ConfigBuilder::ApplyText(std::string_view text, const std::string& file) {
  UXC_ASSIGN_OR_RETURN(std::vector<ConfigLine> lines, ParseConfigText(text, file));
  for (const ConfigLine& line : lines) UXC_RETURN_IF_ERROR(ApplyLine(line));
  return OkStatus();
}

Status ConfigBuilder::ApplyLine(const ConfigLine& line) {
  if (std::optional<DeprecatedKey> deprecated = FindDeprecatedKey(line.key)) {
    return ApplyDeprecated(line, *deprecated);
  }
  return ApplyCurrent(line, line.key);
}

Status ConfigBuilder::ApplyDeprecated(const ConfigLine& line, const DeprecatedKey& deprecated) {
  ConfigLine renamed = line;
  switch (deprecated.action) {
    case DeprecatedKey::Action::kIgnore:
      Warn(line.origin, line.key + " is obsolete and ignored: " + deprecated.reason +
                            "; remove the line");
      return OkStatus();
    case DeprecatedKey::Action::kRename:
      renamed.key = deprecated.current_key;
      break;
    case DeprecatedKey::Action::kLegacyNetwork:
      if (deprecated.net_subkey == "type") {
        legacy_net_ = next_legacy_net_++;
      } else if (legacy_net_ < 0) {
        return PlainError(At(line.origin) + line.key +
                          " comes before any lxc.network.type, which starts an interface; "
                          "put lxc.network.type first, or write lxc.net.0." +
                          deprecated.net_subkey);
      }
      renamed.key = "lxc.net." + std::to_string(legacy_net_) + "." + deprecated.net_subkey;
      break;
  }
  if (FindKey(renamed.key).has_value()) {
    Warn(line.origin, line.key + " is deprecated; use " + renamed.key);
  }
  return ApplyCurrent(renamed, line.key);
}

Status ConfigBuilder::ApplyCurrent(const ConfigLine& line, const std::string& written_key) {
  std::optional<ResolvedKey> key = FindKey(line.key);
  if (!key.has_value()) {
    std::string suggestion = SuggestKey(line.key);
    return PlainError(At(line.origin) + "unknown key " + Quote(written_key) +
                      (suggestion.empty() ? "; see docs/config.md for the keys uxc knows"
                                          : "; did you mean " + suggestion + "?"));
  }
  const KeyInfo& info = *key->info;
  if (line.value.empty()) {
    Clear(*key);
    if (key->key == "lxc.net") {
      next_legacy_net_ = 0;
      legacy_net_ = -1;
    }
    return OkStatus();
  }
  if (info.kind == KeyKind::kClearOnly) {
    return PlainError(At(line.origin) + key->key + " takes no value; write " +
                      Quote(key->key + " =") + " to clear its keys, or set one of them (" +
                      std::string(info.pattern) + ".*)");
  }
  Status valid = info.validate(key->key, line.value);
  if (!valid.ok()) return PlainError(At(line.origin) + written_key + ": " + valid.error().message);
  switch (info.kind) {
    case KeyKind::kInclude:
      return Include(line);
    case KeyKind::kScalar:
      SetScalar(key->key, line.value, line.origin);
      return OkStatus();
    case KeyKind::kList:
      AddToList(key->key, line.value, line.origin);
      return OkStatus();
    case KeyKind::kMountAuto:
      return MergeMountAuto(key->key, line);
    case KeyKind::kClearOnly:
      break;
  }
  return OkStatus();
}

Status ConfigBuilder::Include(const ConfigLine& line) {
  std::string path = ResolveIncludePath(line.value, line.origin);
  Result<PathKind> kind = KindOfPath(path);
  if (!kind.ok()) {
    return PlainError(At(line.origin) + "lxc.include: " + kind.error().ToString() +
                      "; fix the path or remove the line");
  }
  // As LXC's set_config_includefiles: a path ending in '/' or naming a
  // directory includes the directory, and a missing directory is no error
  // (userns.conf includes userns.conf.d/, which packages may never create).
  if (*kind == PathKind::kDirectory) return IncludeDirectory(path, line);
  if (EndsWith(path, "/") && *kind == PathKind::kMissing) return OkStatus();
  return ApplyFile(path, &line.origin);
}

Status ConfigBuilder::IncludeDirectory(const std::string& dir, const ConfigLine& line) {
  Result<std::vector<std::string>> files = ListConfFiles(dir);
  if (!files.ok()) {
    return PlainError(At(line.origin) + "lxc.include: " + files.error().ToString() +
                      "; fix the path or remove the line");
  }
  for (const std::string& file : *files) UXC_RETURN_IF_ERROR(ApplyFile(file, &line.origin));
  return OkStatus();
}

void ConfigBuilder::Clear(const ResolvedKey& key) {
  std::erase_if(slots_, [&](const Slot& slot) {
    if (key.info->kind == KeyKind::kClearOnly) return ClearsKey(key.key, slot.entry.key);
    return slot.entry.key == key.key;
  });
}

void ConfigBuilder::SetScalar(const std::string& key, const std::string& value,
                              const Origin& origin) {
  std::erase_if(slots_, [&](const Slot& slot) { return slot.entry.key == key; });
  slots_.push_back(Slot{Entry{key, value, origin}, layer_});
}

// A value that an earlier layer already lists is kept once: a container
// config made by copying default.conf (as lxc-create does) would otherwise
// map its ids twice.
void ConfigBuilder::AddToList(const std::string& key, const std::string& value,
                              const Origin& origin) {
  for (const Slot& slot : slots_) {
    if (slot.layer != layer_ && slot.entry.key == key && slot.entry.value == value) return;
  }
  slots_.push_back(Slot{Entry{key, value, origin}, layer_});
}

Status ConfigBuilder::MergeMountAuto(const std::string& key, const ConfigLine& line) {
  MountAuto merged;
  for (const Slot& slot : slots_) {
    if (slot.entry.key == key) UXC_RETURN_IF_ERROR(ApplyMountAuto(slot.entry.value, &merged));
  }
  Status status = ApplyMountAuto(line.value, &merged);
  if (!status.ok()) return PlainError(At(line.origin) + key + ": " + status.error().message);
  SetScalar(key, merged.ToString(), line.origin);
  return OkStatus();
}

Result<ContainerConfig> ConfigBuilder::Finish(std::span<const BuildLimit> build_limits) {
  ContainerConfig config;
  for (Slot& slot : slots_) config.mutable_entries().push_back(std::move(slot.entry));
  config.mutable_warnings() = std::move(warnings_);
  UXC_RETURN_IF_ERROR(ValidateMergedConfig(&config, build_limits));
  return config;
}

}  // namespace

Result<ContainerConfig> LoadContainerConfig(const LoadRequest& request) {
  ConfigBuilder builder;
  for (const LoadRequest::Layer& layer : request.layers) {
    UXC_RETURN_IF_ERROR(builder.ApplyLayerFile(layer.path, layer.optional));
  }
  for (const std::string& override_text : request.overrides) {
    UXC_RETURN_IF_ERROR(builder.ApplyOverride(override_text));
  }
  return builder.Finish(request.build_limits);
}

Result<ContainerConfig> ParseContainerConfigText(std::string_view text, const std::string& file,
                                                 std::span<const BuildLimit> build_limits) {
  ConfigBuilder builder;
  UXC_RETURN_IF_ERROR(builder.ApplyLayerText(text, file));
  return builder.Finish(build_limits);
}

}  // namespace uxc::config

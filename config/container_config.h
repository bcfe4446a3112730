// The container configuration: LXC's key syntax, loaded in layers, validated
// as a whole. A load gives either a complete, validated config or an error
// that names the file, the line, what is wrong and what to do.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "config/keys.h"

namespace uxc::config {

// Where a value came from. `line` is 0 for a -s override (file "command line").
struct Origin {
  std::string file;
  int line = 0;

  std::string ToString() const;  // "file:line", or "command line"
};

// One effective value after includes, clears, overrides and renames:
// deprecated names appear under their current key.
struct Entry {
  std::string key;
  std::string value;
  Origin origin;
};

// A non-fatal note, e.g. a deprecated key or a key that is ignored when
// unprivileged. The message names the key and what happens instead.
struct Warning {
  Origin origin;
  std::string message;

  std::string ToString() const;  // "file:line: message"
};

class ContainerConfig {
 public:
  // The effective value of a scalar key, or nullopt when unset or cleared.
  std::optional<std::string> Get(std::string_view key) const;
  // Get() with a default.
  std::string GetOr(std::string_view key, std::string_view fallback) const;
  // The accumulated values of a list key (lxc.idmap, lxc.mount.entry, ...),
  // in order; empty when unset or cleared.
  std::vector<std::string> GetList(std::string_view key) const;
  // Keys set under a prefix, e.g. KeysWithPrefix("lxc.cgroup2.") or
  // KeysWithPrefix("lxc.prlimit."), in first-set order.
  std::vector<std::string> KeysWithPrefix(std::string_view prefix) const;
  // The indices of configured network interfaces (lxc.net.N.*), ascending.
  std::vector<int> NetIndices() const;
  // The entry that set `key`'s effective value (the last one of a list key),
  // or nullptr when the key is unset.
  const Entry* EffectiveEntry(std::string_view key) const;

  // Every effective entry, in the order `uxc config show` prints them.
  const std::vector<Entry>& entries() const { return entries_; }
  const std::vector<Warning>& warnings() const { return warnings_; }

  // Used by the loader only.
  std::vector<Entry>& mutable_entries() { return entries_; }
  std::vector<Warning>& mutable_warnings() { return warnings_; }

 private:
  std::vector<Entry> entries_;
  std::vector<Warning> warnings_;
};

struct LoadRequest {
  // Layers in order; later layers override earlier ones. A layer marked
  // optional may be absent (the default.conf files); a required one may not.
  struct Layer {
    std::string path;
    bool optional = false;
  };
  std::vector<Layer> layers;
  // "key=value" strings from -s, applied last.
  std::vector<std::string> overrides;
  // What this build cannot do yet (launcher::BuildLimits()): warnings for
  // the keys they cover. Empty where the warnings are not shown.
  std::span<const BuildLimit> build_limits = {};
};

// Where `key` was set, to begin a message about it: "file:line: key", or
// "key" alone when it is unset.
std::string WhereSet(const ContainerConfig& config, std::string_view key);

Result<ContainerConfig> LoadContainerConfig(const LoadRequest& request);

// Loads one config given as text (named `file` in origins and errors) as the
// only layer, with the same rules and checks; relative includes resolve
// against the directory of `file`. For tests and the fuzzer.
Result<ContainerConfig> ParseContainerConfigText(std::string_view text, const std::string& file,
                                                 std::span<const BuildLimit> build_limits = {});

// The standard layers for a container config file: /etc/uxc/default.conf,
// $XDG_CONFIG_HOME/uxc/default.conf (or ~/.config/uxc/default.conf), then
// `container_config`. `system_dir` is /etc/uxc except in tests.
LoadRequest StandardLayers(const std::string& container_config,
                           const std::string& system_dir = "/etc/uxc");

}  // namespace uxc::config

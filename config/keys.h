// The table of every container config key: LXC's keys (src/lxc/confile.c)
// and uxc's own. For each key: how values combine, how a value is checked,
// and whether an unprivileged uxc supports it, ignores it with a warning, or
// refuses it because it needs root. `uxc config keys` prints this table
// (launcher/cli/config_key_table.h), and uxc.container.conf(5) with it.
// What this build cannot do yet is not here: the planner that refuses a key
// says so beside its refusal (a BuildLimit, launcher/engine/build_limits.h).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace uxc::config {

// How the lines of one key combine.
enum class KeyKind {
  kScalar,     // a later value replaces an earlier one
  kList,       // values accumulate in order
  kMountAuto,  // tokens merge per category (lxc.mount.auto)
  kInclude,    // lxc.include: read another file or directory here
  kClearOnly,  // only "key =" is allowed; it clears a group of keys
};

enum class Support {
  kSupported,
  kLimited,    // accepted, but (partly) ignored when unprivileged: a warning says what
  kNeedsRoot,  // refused: an error says why only root can do it
};

struct Classification {
  Support support = Support::kSupported;
  // For kLimited / kNeedsRoot: what happens instead and why; a full clause
  // that can follow "lxc.net.0.mtu: ".
  std::string reason;
};

struct KeyInfo {
  // The key as documented: "lxc.idmap", "lxc.net.N.type",
  // "lxc.cgroup2.CONTROLLER.FILE", "lxc.prlimit.RESOURCE".
  std::string_view pattern;
  KeyKind kind;
  // Checks one non-empty value; `key` is the full key (for keys with a
  // variable part). The message says what is wrong and what a valid value is.
  Status (*validate)(std::string_view key, std::string_view value);
  Support support;
  std::string_view reason;
  // When set, decides the classification from the key and value instead.
  Classification (*classify)(std::string_view key, std::string_view value) = nullptr;
  std::string_view summary = {};  // one line for `uxc config keys`
};

struct ResolvedKey {
  const KeyInfo* info = nullptr;
  std::string key;     // canonical: "lxc.net.00.type" becomes "lxc.net.0.type"
  int net_index = -1;  // for lxc.net.N and lxc.net.N.*
};

// A key, or some of its values, that this build of uxc cannot act on yet,
// though an unprivileged container could. Declared by the launcher's planner
// that refuses or ignores the key; the loader warns about it as kLimited.
struct BuildLimit {
  std::string_view pattern;  // a pattern of the table: "lxc.net.N.link"
  std::string_view reason;   // a kLimited reason ("ignored: ..."), for every value
  // When set, decides instead: the reason for this value of `key`, or ""
  // when the limit does not cover the value.
  std::string (*reason_for)(std::string_view key, std::string_view value) = nullptr;
};

// Looks up a current (not deprecated) key. nullopt when unknown.
std::optional<ResolvedKey> FindKey(std::string_view key);

// For a kClearOnly key: whether clearing `group_key` removes `key`.
bool ClearsKey(std::string_view group_key, std::string_view key);

// The classification of one effective value: the table's (needs root, or
// ignored by uxc's design), else the first of `limits` that covers it.
Classification Classify(const ResolvedKey& key, std::string_view value,
                        std::span<const BuildLimit> limits = {});

// The fixed start of a pattern: "lxc.cgroup2." of
// "lxc.cgroup2.CONTROLLER.FILE"; the whole pattern when nothing varies.
std::string_view PatternPrefix(std::string_view pattern);

// Every key pattern, in table order (for docs and suggestions).
std::vector<const KeyInfo*> AllKeys();

// The known key closest to an unknown one by edit distance, or "" when none
// is close enough to be a plausible typo.
std::string SuggestKey(std::string_view unknown);

}  // namespace uxc::config

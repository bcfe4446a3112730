// LXC 2.x key names (renamed in LXC 3.0; lxc-update-config's list). They
// are still accepted, with a warning that names the current key, because
// many tutorials use them (`lxc.id_map = u 0 100000 65536`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace uxc::config {

struct DeprecatedKey {
  enum class Action {
    kRename,         // use `current_key` instead
    kIgnore,         // the key did nothing useful; drop the line
    kLegacyNetwork,  // un-indexed lxc.network.<subkey>: see below
  } action = Action::kRename;
  std::string current_key;  // kRename
  std::string reason;       // kIgnore: why it can go
  // kLegacyNetwork: the subkey under lxc.net.N ("type", "ipv4.address").
  // "lxc.network.type" starts a new interface; the other subkeys apply to the
  // interface the last lxc.network.type started.
  std::string net_subkey;
};

// nullopt when `key` is not a deprecated name.
std::optional<DeprecatedKey> FindDeprecatedKey(std::string_view key);

}  // namespace uxc::config

#include "config/config_validation.h"

#include <algorithm>
#include <set>

#include "config/keys.h"
#include "config/text_util.h"
#include "config/values.h"

namespace uxc::config {
namespace {

std::string At(const Origin& origin) { return origin.ToString() + ": "; }

std::vector<const Entry*> EntriesOf(const ContainerConfig& config, std::string_view key) {
  std::vector<const Entry*> found;
  for (const Entry& entry : config.entries()) {
    if (entry.key == key) found.push_back(&entry);
  }
  return found;
}

// The merged set of id mappings, blaming the line that makes it invalid and
// naming the line it collides with.
Status CheckIdMappings(const ContainerConfig& config) {
  std::vector<const Entry*> entries = EntriesOf(config, "lxc.idmap");
  std::vector<std::string> values;
  for (size_t i = 0; i < entries.size(); ++i) {
    values.push_back(entries[i]->value);
    Result<std::vector<IdMapping>> mappings = ParseIdMappings(values);
    if (mappings.ok()) continue;
    std::string other;
    for (size_t j = 0; j < i; ++j) {
      if (!ParseIdMappings({entries[j]->value, entries[i]->value}).ok()) {
        other = " (the other mapping is at " + entries[j]->origin.ToString() + ")";
        break;
      }
    }
    return PlainError(At(entries[i]->origin) + "lxc.idmap: " + mappings.error().message + other);
  }
  return OkStatus();
}

// LXC refuses a config with both (lxc.container.conf(5), lxc.cap.keep).
Status CheckCapabilityLists(const ContainerConfig& config) {
  std::vector<const Entry*> drop = EntriesOf(config, "lxc.cap.drop");
  std::vector<const Entry*> keep = EntriesOf(config, "lxc.cap.keep");
  if (drop.empty() || keep.empty()) return OkStatus();
  // Both point into config.entries(), which is in the order lines were set.
  const Entry* later = std::max(keep.back(), drop.back());
  const Entry* earlier = std::min(keep.back(), drop.back());
  return PlainError(At(later->origin) + later->key + " and " + earlier->key + " (at " +
                    earlier->origin.ToString() +
                    ") are both set; use only one: lxc.cap.keep lists what stays, lxc.cap.drop "
                    "what goes (clear the other with an empty value)");
}

// Every configured interface needs a type (lxc.net.N.type).
Status CheckInterfaces(const ContainerConfig& config) {
  for (int index : config.NetIndices()) {
    std::string prefix = "lxc.net." + std::to_string(index) + ".";
    if (config.Get(prefix + "type").has_value()) continue;
    for (const Entry& entry : config.entries()) {
      if (StartsWith(entry.key, prefix)) {
        return PlainError(At(entry.origin) + "interface lxc.net." + std::to_string(index) +
                          " has no type; add " + prefix +
                          "type = veth, empty or none, or remove its keys");
      }
    }
  }
  return OkStatus();
}

// Errors for values that need root; one warning per key for values that are
// ignored when unprivileged.
Status CheckClassifications(ContainerConfig* config, std::span<const BuildLimit> build_limits) {
  std::set<std::string> warned;
  for (const Entry& entry : config->entries()) {
    std::optional<ResolvedKey> key = FindKey(entry.key);
    if (!key.has_value()) continue;
    Classification classification = Classify(*key, entry.value, build_limits);
    switch (classification.support) {
      case Support::kSupported:
        break;
      case Support::kNeedsRoot:
        return PlainError(At(entry.origin) + entry.key + " = " + entry.value +
                          " needs root: " + classification.reason);
      case Support::kLimited:
        if (warned.insert(entry.key).second) {
          config->mutable_warnings().push_back(
              Warning{entry.origin, entry.key + " is " + classification.reason});
        }
        break;
    }
  }
  return OkStatus();
}

}  // namespace

Status ValidateMergedConfig(ContainerConfig* config, std::span<const BuildLimit> build_limits) {
  UXC_RETURN_IF_ERROR(CheckClassifications(config, build_limits));
  UXC_RETURN_IF_ERROR(CheckIdMappings(*config));
  UXC_RETURN_IF_ERROR(CheckCapabilityLists(*config));
  UXC_RETURN_IF_ERROR(CheckInterfaces(*config));
  return OkStatus();
}

}  // namespace uxc::config

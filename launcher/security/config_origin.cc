#include "launcher/security/config_origin.h"

namespace uxc::security {

std::optional<config::Origin> OriginOf(const config::ContainerConfig& config,
                                       std::string_view key) {
  std::optional<config::Origin> origin;
  for (const config::Entry& entry : config.entries()) {
    if (entry.key == key) origin = entry.origin;
  }
  return origin;
}

std::string WhereSet(const config::ContainerConfig& config, std::string_view key) {
  std::optional<config::Origin> origin = OriginOf(config, key);
  return origin ? origin->ToString() : "the configuration";
}

}  // namespace uxc::security

// Checks that need the merged config of all layers: the set of id
// mappings, cap.keep against cap.drop, every interface having a type, and
// each value's classification (needs root: error; limited: warning).
#pragma once

#include "base/error.h"
#include "config/container_config.h"

namespace uxc::config {

// Appends the warnings for keys that are ignored when unprivileged or that
// `build_limits` cover.
Status ValidateMergedConfig(ContainerConfig* config, std::span<const BuildLimit> build_limits);

}  // namespace uxc::config

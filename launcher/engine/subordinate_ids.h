// The caller's subordinate id ranges from /etc/subuid and /etc/subgid (via
// config/subid.h), as the default id maps use them.
#pragma once

#include <optional>
#include <string>

#include "base/error.h"
#include "launcher/engine/idmap.h"

namespace uxc::launcher {

// The caller's first range in `path`, nullopt when the file is missing or
// has no line for the caller. A malformed file is an error.
Result<std::optional<SubordinateRange>> FirstSubordinateRange(const std::string& path,
                                                              const Caller& caller);

// DefaultIdMap() from the host's /etc/subuid and /etc/subgid (`etc` is
// "/etc" except in tests).
Result<IdMapPlan> DefaultIdMapFromHost(const Caller& caller, const std::string& etc = "/etc");

}  // namespace uxc::launcher

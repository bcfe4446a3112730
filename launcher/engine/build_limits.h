// What this build of uxc cannot do yet, gathered from the planners that
// refuse or ignore the keys: each declares its limits beside its refusal, so
// that a new capability edits its own planner only. The config loader turns
// them into "KEY is ignored: ..." warnings (config/keys.h, BuildLimit).
#pragma once

#include <span>

#include "config/keys.h"

namespace uxc::launcher {

std::span<const config::BuildLimit> BuildLimits();

}  // namespace uxc::launcher

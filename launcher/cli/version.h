// The version `uxc --version` prints.
#pragma once

namespace uxc::cli {

inline constexpr const char kVersion[] = "0.1.0";

}  // namespace uxc::cli

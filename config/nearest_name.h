// "Did you mean ...?" for a misspelt command, option or key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace uxc::config {

// The candidate closest to `word` by edit distance, or "" when none is close
// enough to be a plausible typo (more than a third of the word differs).
std::string NearestName(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace uxc::config

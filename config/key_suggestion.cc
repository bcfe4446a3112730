// SuggestKey: the known key nearest to an unknown one, for "did you mean".
#include <algorithm>
#include <string>
#include <vector>

#include "config/keys.h"

namespace uxc::config {
namespace {

// Levenshtein distance, or `limit + 1` as soon as it must exceed `limit`.
size_t EditDistance(std::string_view a, std::string_view b, size_t limit) {
  size_t length_difference = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_difference > limit) return limit + 1;
  std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    size_t row_minimum = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      row_minimum = std::min(row_minimum, current[j]);
    }
    if (row_minimum > limit) return limit + 1;
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// A plausible typo changes a few characters, not a quarter of the key.
size_t SuggestionLimit(std::string_view unknown) { return std::max<size_t>(2, unknown.size() / 4); }

struct Candidate {
  std::string key;
  size_t distance;  // the edits that turn the unknown key into `key`
};

// Known spellings near an unknown key: each exact key, each lxc.net.N.* key
// with the index the user wrote, and each prefix key (lxc.cgroup2.) with the
// unknown key's own tail, its distance counted on the fixed part alone.
// The interface index an unknown lxc.net.<N>.* key names, or 0.
std::string NetIndexOf(std::string_view unknown) {
  constexpr std::string_view kNetPrefix = "lxc.net.";
  if (unknown.substr(0, kNetPrefix.size()) != kNetPrefix) return "0";
  std::string_view rest = unknown.substr(kNetPrefix.size());
  size_t digits = 0;
  while (digits < rest.size() && digits < 4 && rest[digits] >= '0' && rest[digits] <= '9') {
    ++digits;
  }
  return digits == 0 ? "0" : std::string(rest.substr(0, digits));
}

std::vector<Candidate> SuggestionCandidates(std::string_view unknown) {
  std::vector<Candidate> candidates;
  const size_t limit = SuggestionLimit(unknown);
  const std::string net_index = NetIndexOf(unknown);
  auto add_exact = [&](std::string key) {
    size_t distance = EditDistance(unknown, key, limit);
    if (distance <= limit) candidates.push_back({std::move(key), distance});
  };
  for (const KeyInfo* info : AllKeys()) {
    std::string_view pattern = info->pattern;
    if (pattern == "lxc.net.N") continue;  // only clears; a typo means a subkey
    if (pattern.substr(0, 10) == "lxc.net.N.") {
      add_exact("lxc.net." + net_index + std::string(pattern.substr(9)));
      continue;
    }
    std::string_view fixed = PatternPrefix(pattern);
    if (fixed == pattern) {
      add_exact(std::string(pattern));
      continue;
    }
    // "lxc.cgroups2.memory.max": a mistyped fixed part is about as long as
    // the real one.
    for (size_t length = fixed.size() > 2 ? fixed.size() - 2 : 0; length <= fixed.size() + 2;
         ++length) {
      if (length >= unknown.size()) break;
      size_t distance = EditDistance(unknown.substr(0, length), fixed, limit);
      if (distance <= limit) {
        candidates.push_back({std::string(fixed) + std::string(unknown.substr(length)), distance});
      }
    }
  }
  return candidates;
}

}  // namespace

std::string SuggestKey(std::string_view unknown) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (Candidate& candidate : SuggestionCandidates(unknown)) {
    if (candidate.distance < best_distance) {
      best_distance = candidate.distance;
      best = std::move(candidate.key);
    }
  }
  return best_distance <= SuggestionLimit(unknown) && best_distance > 0 ? best : std::string();
}

}  // namespace uxc::config

#include "helpers/map_policy.h"

#include <algorithm>

namespace uxc::helpers {
namespace {

Error Refusal(const MapPolicy& policy, const IdRange& range) {
  std::string shown = DescribeRange(range);
  const char* ids = policy.kind == IdKind::kUid ? "uid" : "gid";
  if (policy.file_missing) {
    return WithHint(PlainError(shown + " is not covered: " + policy.file + " does not exist (only own " + ids + " " +
                               std::to_string(policy.own_id) + " with count 1 may be mapped)"),
                    "ask root to create it with a line like " + policy.user + ":100000:65536");
  }
  if (policy.granted.empty()) {
    std::string flag = policy.kind == IdKind::kUid ? "--add-subuids" : "--add-subgids";
    return WithHint(PlainError(shown + " is not covered by " + policy.file + ": " + policy.user +
                               " has no entry there (only own " + ids + " " + std::to_string(policy.own_id) +
                               " with count 1 may be mapped)"),
                    "ask root to run `usermod " + flag + " 100000-165535 " + policy.user + "`");
  }
  return WithHint(PlainError(shown + " is not covered by " + policy.file + " for " + policy.user + " (" + policy.user +
                             " has " + config::DescribeRanges(policy.granted) + "; own " + ids + " " +
                             std::to_string(policy.own_id) + " with count 1)"),
                  "ask root for a larger range");
}

}  // namespace

Result<std::vector<bool>> AuthorizeRanges(const MapPolicy& policy, const std::vector<IdRange>& ranges) {
  std::vector<bool> from_subid;
  for (const IdRange& range : ranges) {
    if (config::Covers(policy.granted, range.outside, range.count)) {
      from_subid.push_back(true);
    } else if (range.count == 1 && range.outside == policy.own_id) {
      from_subid.push_back(false);
    } else {
      return Refusal(policy, range);
    }
  }
  return from_subid;
}

namespace {

// The names of the lines of an account file whose third field is `id`:
// passwd(5) name:password:UID:..., group(5) name:password:GID:members.
void AddNamesWithId(std::string_view passwd_text, uint32_t id, std::vector<std::string>& names) {
  const std::string wanted = std::to_string(id);
  size_t at = 0;
  while (at < passwd_text.size()) {
    size_t end = passwd_text.find('\n', at);
    if (end == std::string_view::npos) end = passwd_text.size();
    std::string_view line = passwd_text.substr(at, end - at);
    at = end + 1;
    size_t first = line.find(':');
    if (first == 0 || first == std::string_view::npos) continue;
    size_t second = line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    size_t third = line.find(':', second + 1);
    if (third == std::string_view::npos) continue;
    std::string_view name = line.substr(0, first);
    // "+name"/"-name" are NIS compat markers, not accounts.
    if (name[0] == '+' || name[0] == '-') continue;
    if (line.substr(second + 1, third - second - 1) != wanted) continue;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
  }
}

}  // namespace

std::vector<std::string> PasswdNamesForUid(std::string_view passwd_text, uid_t uid) {
  std::vector<std::string> names;
  AddNamesWithId(passwd_text, uid, names);
  return names;
}

std::vector<std::string> GroupNamesForGids(std::string_view group_text, const std::vector<gid_t>& gids) {
  std::vector<std::string> names;
  for (gid_t gid : gids) AddNamesWithId(group_text, gid, names);
  return names;
}

}  // namespace uxc::helpers

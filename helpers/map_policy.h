// Which ranges a caller may map: shadow's rule. Each range's outside ids must
// lie inside the caller's /etc/subuid (or /etc/subgid) entries, adjacent
// entries chained, or be exactly the caller's own id with count 1.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "config/subid.h"
#include "helpers/map_request.h"

namespace uxc::helpers {

struct MapPolicy {
  IdKind kind = IdKind::kUid;
  std::string file;                          // "/etc/subuid", for messages
  std::string user;                          // the caller's name, or "uid 1000" when unknown
  bool file_missing = false;                 // `file` does not exist: nothing granted
  std::vector<config::SubidRange> granted;   // the caller's entries in `file`
  uint32_t own_id = 0;                       // the caller's real uid (gid for gid maps)
};

// For each range, whether a subordinate entry authorized it (false: it is the
// caller's own id). The first refused range is the error, which says what the
// caller has and what to ask root for.
Result<std::vector<bool>> AuthorizeRanges(const MapPolicy& policy, const std::vector<IdRange>& ranges);

// The login names that /etc/passwd gives `uid`, in file order. Read from the
// file itself: the setuid helpers load no NSS modules (docs/idmap.md).
std::vector<std::string> PasswdNamesForUid(std::string_view passwd_text, uid_t uid);

// The names /etc/group gives `gids` (group(5) has the GID third, as passwd
// has the UID), in the order of `gids`, each name once.
std::vector<std::string> GroupNamesForGids(std::string_view group_text, const std::vector<gid_t>& gids);

}  // namespace uxc::helpers

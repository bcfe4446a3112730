// Whether the caller can still remove a container's tree. Its files belong
// to the subordinate range it was made with; when /etc/subuid moves or drops
// that range later, the files of the old range show as the overflow id in
// any user namespace the caller can make, and only root can remove them.
// `uxc destroy` looks before it deletes anything, so that it never leaves a
// half-removed container.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/templates/userns_command.h"

namespace uxc::templates {

struct OverflowIds {
  uint32_t uid = 65534;
  uint32_t gid = 65534;
};

// The kernel's overflow ids (/proc/sys/kernel/overflow{u,g}id): what an id
// that a user namespace does not map reads as inside it.
OverflowIds ReadOverflowIds();

// `usernsexec -m` arguments for the look: the caller's own uid and gid at 0
// and the subordinate ranges (when `ids` is set) just above the overflow
// ids, so that no mapped id reads as an overflow id and every unmapped one
// does. An error when a range is too large to fit there.
Result<std::vector<std::string>> OwnershipProbeMaps(uid_t uid, gid_t gid, const std::optional<UsernsIds>& ids,
                                                    const OverflowIds& overflow);

// The first path in `dir` (on its file system) that belongs to an id the
// caller cannot map now, or nullopt when the caller can remove everything.
Result<std::optional<std::string>> FindFileOfUnmappedId(const std::string& uxc_binary, uid_t uid, gid_t gid,
                                                        const std::optional<UsernsIds>& ids,
                                                        const std::string& dir);

}  // namespace uxc::templates

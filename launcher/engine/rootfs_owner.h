// Whether the id map a start chose by default fits the rootfs it starts.
//
// `uxc create` hands a rootfs to container root, the first id of the
// caller's subordinate range. When that range later goes from /etc/subuid
// (or moves), the default map falls back to the caller's own uid as root, or
// to the new range: container code made under a subordinate id would run as
// the user, or own nothing. uxc refuses that start and says what root must
// do, instead of widening the container's reach with a note.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "base/error.h"
#include "launcher/engine/idmap.h"

namespace uxc::launcher {

struct RootfsOwner {
  uid_t uid = 0;
  gid_t gid = 0;
};

// The owner of the rootfs directory `path` (stat(2), as the bind mount will
// see it).
Result<RootfsOwner> StatRootfsOwner(const std::string& path);

// How a rootfs owned by `owner` no longer fits `maps`, the default maps:
// what changed, and the usermod that would give the range back. nullopt
// when the maps fit (see CheckDefaultMapsFitRootfs).
struct OwnerChange {
  std::string what;     // "host uid 600000, which is no longer in your subordinate range (...)"
  std::string usermod;  // "usermod --add-subuids 600000-665535 alice"
};
std::optional<OwnerChange> DescribeOwnerChange(const RootfsOwner& owner, const IdMapPlan& maps,
                                               const Caller& caller);

// OK when `maps` (the default maps, from /etc/subuid and /etc/subgid) fit a
// rootfs owned by `owner`: it is the caller's own (made without subordinate
// ids, or a `uxc run --rootfs` tree), host root's (a shared read-only tree),
// or owned by the uid and gid the maps make container root. Else an error
// that says what changed and what root must do.
Status CheckDefaultMapsFitRootfs(const std::string& rootfs, const RootfsOwner& owner, const IdMapPlan& maps,
                                 const Caller& caller);

}  // namespace uxc::launcher

// Acting as the container's root on host files that the user may not touch
// alone: a chown to a subordinate uid, an rmdir in a directory the
// container's root owns. As LXC's chown_mapped_root and userns_exec_1 do, a
// child in a new user namespace that maps both the container's ids and the
// user's own (IdMapPlan + AddOwnIds) has the capabilities over both.
#pragma once

#include <functional>

#include "base/error.h"
#include "launcher/engine/idmap.h"

namespace uxc::launcher {

// Runs `work` in a child cloned into a new user namespace with `maps`
// written (by the setuid helpers when they map subordinate ids); the child
// has the namespace's full capabilities and a copy of the caller's fds.
// `work` returns 0 or an errno; the error then says `what` failed.
Status RunAsMappedRoot(const IdMapPlan& maps, const Caller& caller, const HelperSettings& helpers,
                       const std::function<int()>& work, const std::string& what);

}  // namespace uxc::launcher

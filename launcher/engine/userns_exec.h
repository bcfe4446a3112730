// Runs a command as root of a new user namespace with the given id maps and
// its own mount namespace, like lxc-usernsexec and `podman unshare`: the way
// a user edits or removes files owned by their subordinate ids.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/engine/idmap.h"

namespace uxc::launcher {

struct UsernsExecRequest {
  IdMapPlan maps;
  std::vector<std::string> argv;  // run with execvp; must not be empty
  Caller caller;
  HelperSettings helpers;
};

// Returns the command's exit status (128 + signal when killed).
Result<int> RunInUserNamespace(const UsernsExecRequest& request);

}  // namespace uxc::launcher

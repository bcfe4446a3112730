// The network namespace uxc-user-nic puts a container's end of a veth pair
// in, opened as the caller and held by an fd from the check to the create,
// so that no pid can be reused in between (CVE-2017-5985's lesson).
#pragma once

#include <string>

#include "base/error.h"
#include "base/unique_fd.h"
#include "helpers/map_request.h"
#include "helpers/setuid_start.h"

namespace uxc::helpers {

struct TargetNetns {
  UniqueFd fd;        // an nsfs fd of type CLONE_NEWNET
  std::string label;  // "the network namespace of process 1234"
};

// As the caller: /proc/PID/ns/net for a pid, a pidfd or a /proc/PID
// directory; fd:N itself when it is a network namespace fd.
Result<TargetNetns> OpenTargetNetns(const TargetSpec& spec);

// As the caller, for delete: a path to a network namespace. Every failure
// gives the same message, so that it tells nothing about what the path
// names (CVE-2018-6556, CVE-2022-47952); a FIFO or device is never opened
// for reading (O_PATH first).
Result<TargetNetns> OpenNetnsPath(const std::string& path);

// The namespace is the caller's: the kernel says its user namespace
// (NS_GET_USERNS) is owned by the caller (NS_GET_OWNER_UID), as is every
// user namespace between it and the helper's own, which it is not.
// Being able to open it is not enough: a process of the caller may have
// joined another user's namespace.
Status CheckNetnsIsCallers(const TargetNetns& netns, const Caller& caller);

}  // namespace uxc::helpers

// uxc-user-nic's command line: lxc-user-nic's create and delete, and list.
// Pure code, fuzzed (nic_request_fuzz).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "helpers/map_request.h"

namespace uxc::helpers {

enum class NicCommand { kCreate, kDelete, kList };

struct NicRequest {
  NicCommand command = NicCommand::kList;
  TargetSpec target;       // create: a pid, or fd:N (a pidfd, /proc/PID directory or netns fd)
  std::string netns_path;  // delete: a path to a network namespace
  std::string bridge;      // a bridge name, or "none"
  std::string nic_name;    // create: the container's end ("" lets the kernel pick ethN); delete: the host end
};

// `args` are the arguments after the program name:
//   create <lxcpath> <name> <pid>|fd:<N> veth <bridge>|none [<nicname>]
//   delete <lxcpath> <name> <netns-path> veth <bridge> <host-nic>
//   list
// <lxcpath> and <name> are taken and ignored, as lxc-user-nic does.
Result<NicRequest> ParseNicRequest(const std::vector<std::string_view>& args);

// The fd that a create's "fd:N" target names, or -1; start-up must keep it
// open. Looks at nothing but that one argument.
int NicTargetFdArgument(int argc, char** argv);

}  // namespace uxc::helpers

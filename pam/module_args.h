// The arguments of pam_uxc.so on its PAM line:
//   session optional pam_uxc.so [controllers=cpu,memory,pids] [base=/uxc.users] [debug] [required]
// Pure code: pam_uxc.cc hands it argv.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uxc::pam {

struct ModuleArgs {
  // The controllers to enable from the cgroup2 root down to the user's node.
  std::vector<std::string> controllers = {"cpu", "cpuset", "io", "memory", "pids"};
  // The base's components under the cgroup2 root ({"uxc.users"} for
  // "/uxc.users"); nullopt: a "uxc.users" beside init's cgroup.
  std::optional<std::vector<std::string>> base;
  bool debug = false;
  // PAM does not tell a module its control flag, so an admin who writes
  // `session required pam_uxc.so` also writes `required` for a failure to
  // fail the session; without it every failure is logged and the login goes on.
  bool required = false;
};

struct ParsedArgs {
  ModuleArgs args;
  // One message per bad argument, naming it; the arguments around it still count.
  std::vector<std::string> errors;
};

ParsedArgs ParseModuleArgs(const std::vector<std::string_view>& argv);

}  // namespace uxc::pam

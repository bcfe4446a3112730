#include "pam/node_name.h"

#include <algorithm>
#include <array>

namespace uxc::pam {
namespace {

// The prefixes of cgroup v2 interface files: the core's and each
// controller's (Documentation/admin-guide/cgroup-v2.rst), "irq" for
// irq.pressure.
constexpr std::array<std::string_view, 13> kInterfacePrefixes = {
    "cgroup", "cpu",  "cpuset", "io",   "irq",  "memory",    "pids",
    "hugetlb", "rdma", "misc",  "dmem", "perf_event", "freezer"};

bool IsNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-' || c == '@';
}

}  // namespace

std::optional<std::string> NodeNameProblem(std::string_view user) {
  if (user.empty()) return "it is empty";
  if (user.size() > kMaxNodeName) return "it is longer than " + std::to_string(kMaxNodeName) + " characters";
  if (user.front() == '.' || user.front() == '-') return std::string("it starts with '.' or '-'");
  std::string_view body = user.ends_with('$') ? user.substr(0, user.size() - 1) : user;
  if (body.empty() || !std::all_of(body.begin(), body.end(), IsNameCharacter)) {
    return std::string("it has a character other than letters, digits, '.', '_', '-', '@' and a final '$'");
  }
  size_t dot = user.find('.');
  if (dot != std::string_view::npos &&
      std::find(kInterfacePrefixes.begin(), kInterfacePrefixes.end(), user.substr(0, dot)) !=
          kInterfacePrefixes.end()) {
    return "it looks like a cgroup interface file (" + std::string(user.substr(0, dot)) + ".*)";
  }
  return std::nullopt;
}

}  // namespace uxc::pam

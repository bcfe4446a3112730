// Fuzzes the helpers' argument parsers (uxc-newuidmap's, uxc-newidmap's and uxc-user-nic's),
// the map shape check, the policy check, the /etc/passwd reader and the pid
// line of a wait:N pipe. Input: NUL-separated arguments; the whole input is
// also fed to the passwd reader and, cut to the length a pipe read takes, to
// the pid line parser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "helpers/map_policy.h"
#include "helpers/map_request.h"
#include "helpers/nic_request.h"
#include "kernel/rtnetlink.h"

namespace {

// What the parsers promise about every range they return.
void CheckRanges(const std::vector<uxc::helpers::IdRange>& ranges) {
  for (const uxc::helpers::IdRange& range : ranges) {
    if (range.count == 0 || uint64_t{range.inside} + range.count > 4294967295u ||
        uint64_t{range.outside} + range.count > 4294967295u) {
      __builtin_trap();
    }
  }
}

// uxc-user-nic's command line: what the helper relies on, names the
// kernel takes.
void CheckNicRequest(const std::vector<std::string_view>& args) {
  auto request = uxc::helpers::ParseNicRequest(args);
  if (!request.ok()) return;
  if (request->command != uxc::helpers::NicCommand::kList && request->bridge != "none" &&
      !uxc::kernel::IsValidLinkName(request->bridge)) {
    __builtin_trap();
  }
  if (!request->nic_name.empty() && !uxc::kernel::IsValidLinkName(request->nic_name)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace uxc::helpers;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  PasswdNamesForUid(input, 1000);
  GroupNamesForGids(input, {0, 1000, 4294967295u});  // the /etc/group reader
  auto pid = ParsePidLine(input.substr(0, kMaxPidLine + 1));
  if (pid.ok() && (*pid <= 0 || *pid > 4194304)) __builtin_trap();
  std::vector<std::string_view> args;
  size_t at = 0;
  while (at <= input.size()) {
    size_t end = input.find('\0', at);
    if (end == std::string_view::npos) end = input.size();
    args.push_back(input.substr(at, end - at));
    at = end + 1;
  }
  CheckNicRequest(args);
  auto both = ParseIdMapsRequest(args);
  if (both.ok() && both->target.fd >= 0 && both->target.wait_fd >= 0) __builtin_trap();
  if (both.ok()) {
    if (both->uids.empty() || both->gids.empty() || both->uids.size() > kMaxMapLines ||
        both->gids.size() > kMaxMapLines) {
      __builtin_trap();
    }
    CheckRanges(both->uids);
    CheckRanges(both->gids);
  }
  auto request = ParseMapRequest(args);
  if (!request.ok()) return 0;
  if (request->target.wait_fd >= 0) __builtin_trap();  // shadow's command line has no wait:N
  CheckRanges(request->ranges);
  if (CheckMapShape(request->ranges, 4096).ok() && FormatMap(request->ranges).size() >= 4096) __builtin_trap();
  MapPolicy policy;
  policy.file = "/etc/subuid";
  policy.user = "alice";
  policy.own_id = 1000;
  policy.granted.push_back({"alice", 100000, 65536, 1});
  policy.granted.push_back({"alice", 165536, 100, 2});
  auto from_subid = AuthorizeRanges(policy, request->ranges);
  if (from_subid.ok() && from_subid->size() != request->ranges.size()) __builtin_trap();
  return 0;
}

#include "launcher/engine/subordinate_ids.h"

#include "config/subid.h"

namespace uxc::launcher {

Result<std::optional<SubordinateRange>> FirstSubordinateRange(const std::string& path,
                                                              const Caller& caller) {
  auto ranges = config::ParseSubidFile(path, config::QuotableLines{{caller.name}, caller.uid});
  if (!ranges.ok()) {
    if (ranges.error().errno_value == ENOENT) return std::optional<SubordinateRange>();
    return ranges.take_error();
  }
  std::vector<config::SubidRange> mine = config::RangesFor(*ranges, caller.name, caller.uid);
  if (mine.empty()) return std::optional<SubordinateRange>();
  return std::optional<SubordinateRange>(SubordinateRange{mine[0].start, mine[0].count});
}

Result<IdMapPlan> DefaultIdMapFromHost(const Caller& caller, const std::string& etc) {
  UXC_ASSIGN_OR_RETURN(auto uids, FirstSubordinateRange(etc + "/subuid", caller));
  UXC_ASSIGN_OR_RETURN(auto gids, FirstSubordinateRange(etc + "/subgid", caller));
  return DefaultIdMap(caller, uids, gids);
}

}  // namespace uxc::launcher

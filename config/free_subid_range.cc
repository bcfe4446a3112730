#include "config/free_subid_range.h"

#include <algorithm>

namespace uxc::config {

std::string FreeSubidRange(const std::vector<std::vector<SubidRange>>& files, uint32_t count) {
  std::vector<SubidRange> taken;
  for (const std::vector<SubidRange>& ranges : files) taken.insert(taken.end(), ranges.begin(), ranges.end());
  std::sort(taken.begin(), taken.end(), [](const SubidRange& a, const SubidRange& b) { return a.start < b.start; });
  // The lowest gap: sorted by start, one pass moves the window past each overlap.
  uint64_t start = 100000;
  for (const SubidRange& range : taken) {
    if (range.start < start + count && range.end() > start) start = range.end();
  }
  return std::to_string(start) + "-" + std::to_string(start + count - 1);
}

std::vector<SubidRange> OthersRanges(const std::vector<SubidRange>& ranges, const std::string& user, uid_t uid) {
  std::vector<SubidRange> others;
  for (const SubidRange& range : ranges) {
    if (RangesFor({range}, user, uid).empty()) others.push_back(range);
  }
  return others;
}

std::string FreeSubidRangeOnThisHost(const std::string& user, uid_t uid) {
  std::vector<std::vector<SubidRange>> files;
  for (const char* path : {"/etc/subuid", "/etc/subgid"}) {
    Result<std::vector<SubidRange>> ranges = ParseSubidFile(path);
    if (ranges.ok()) files.push_back(OthersRanges(*ranges, user, uid));
  }
  return FreeSubidRange(files);
}

}  // namespace uxc::config

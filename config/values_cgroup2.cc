// lxc.cgroup2.<controller>.<file>: the interface files a container's limits
// may write, per controller (Documentation/admin-guide/cgroup-v2.rst,
// "Controllers"), so that a misspelt file fails at load, not at the start.
#include <array>
#include <string>
#include <vector>

#include "config/nearest_name.h"
#include "config/text_util.h"
#include "config/values.h"

namespace uxc::config {
namespace {

constexpr std::array<std::string_view, 10> kControllers = {
    "cgroup", "cpu", "cpuset", "io", "memory", "pids", "rdma", "hugetlb", "misc", "devices"};

// The files a parent writes to limit a child; read-only files (memory.current,
// cpu.stat) and actions (memory.reclaim) are not limits.
constexpr std::array<std::string_view, 30> kLimitFiles = {
    "cgroup.max.depth",        "cgroup.max.descendants", "cpu.weight",        "cpu.weight.nice",
    "cpu.max",                 "cpu.max.burst",          "cpu.idle",          "cpu.uclamp.min",
    "cpu.uclamp.max",          "cpuset.cpus",            "cpuset.mems",       "cpuset.cpus.exclusive",
    "cpuset.cpus.partition",   "io.weight",              "io.max",            "io.latency",
    "io.bfq.weight",           "io.prio.class",          "memory.min",        "memory.low",
    "memory.high",             "memory.max",             "memory.oom.group",  "memory.swap.high",
    "memory.swap.max",         "memory.zswap.max",       "memory.zswap.writeback", "pids.max",
    "rdma.max",                "misc.max",
};

bool IsHugepageSize(std::string_view size) {
  size_t digits = 0;
  while (digits < size.size() && size[digits] >= '0' && size[digits] <= '9') ++digits;
  std::string_view unit = size.substr(digits);
  return digits > 0 && (unit == "KB" || unit == "MB" || unit == "GB");
}

// hugetlb.<size>.max and hugetlb.<size>.rsvd.max, size as the kernel names
// it: "2MB", "1GB", "64KB".
bool IsHugetlbLimit(std::string_view file) {
  if (!StartsWith(file, "hugetlb.")) return false;
  std::string_view rest = file.substr(8);
  for (std::string_view tail : {std::string_view(".rsvd.max"), std::string_view(".max")}) {
    if (EndsWith(rest, tail)) return IsHugepageSize(rest.substr(0, rest.size() - tail.size()));
  }
  return false;
}

bool IsKnownFile(std::string_view controller, std::string_view file) {
  if (controller == "devices") return true;  // ignored with a warning (config/keys.cc)
  if (controller == "hugetlb") return IsHugetlbLimit(file);
  for (std::string_view known : kLimitFiles) {
    if (known == file) return true;
  }
  return false;
}

std::string Suggestion(std::string_view file) {
  std::vector<std::string> candidates(kLimitFiles.begin(), kLimitFiles.end());
  candidates.push_back("hugetlb.2MB.max");
  std::string nearest = NearestName(file, candidates);
  return nearest.empty() ? "" : "; did you mean lxc.cgroup2." + nearest + "?";
}

std::string KnownList(std::string_view controller) {
  std::string names;
  for (std::string_view known : kLimitFiles) {
    if (StartsWith(known, std::string(controller) + ".")) names += (names.empty() ? "" : ", ") + std::string(known);
  }
  if (controller == "hugetlb") names = "hugetlb.<size>.max, hugetlb.<size>.rsvd.max (size as 2MB, 1GB)";
  return names;
}

}  // namespace

Result<CgroupSetting> ParseCgroup2Key(std::string_view key) {
  std::string_view file = key;
  if (StartsWith(file, "lxc.cgroup2.")) file.remove_prefix(12);
  size_t dot = file.find('.');
  std::string_view controller = file.substr(0, dot);
  bool known = false;
  for (std::string_view candidate : kControllers) known = known || controller == candidate;
  if (dot == std::string_view::npos || dot + 1 == file.size() || !known) {
    return PlainError("unknown key: not a cgroup2 setting: " + Quote(key) +
                      "; write lxc.cgroup2.<controller>.<file> with a controller of cgroup, cpu, "
                      "cpuset, io, memory, pids, rdma, hugetlb or misc, e.g. lxc.cgroup2.memory.max" +
                      Suggestion(file));
  }
  for (char c : file) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                   c == '_' || c == '-';
    if (!allowed) {
      return PlainError("not a cgroup2 interface file name: " + Quote(file) +
                        "; names use letters, digits, '.', '_' and '-'");
    }
  }
  if (!IsKnownFile(controller, file)) {
    return PlainError("unknown key: the " + std::string(controller) + " controller has no limit file " +
                      Quote(file) + " (it has " + KnownList(controller) + ")" + Suggestion(file));
  }
  return CgroupSetting{std::string(controller), std::string(file)};
}

}  // namespace uxc::config

// The text of cgroup v2 interface files (Documentation/admin-guide/
// cgroup-v2.rst, "Interface Files"). Pure code: Cgroup (cgroup.h) reads the
// files.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uxc::kernel {

// A flat-keyed file (cpu.stat, cgroup.events, memory.stat): "KEY VALUE"
// lines. Lines that are not a word and a decimal number are skipped; a key
// seen twice keeps its first value.
std::map<std::string, uint64_t, std::less<>> ParseFlatKeyed(std::string_view text);

// A single-value file (memory.current, pids.current): one decimal number
// and a newline; nullopt for anything else.
std::optional<uint64_t> ParseSingleValue(std::string_view text);

// io.stat: one line a device, "MAJ:MIN rbytes=N wbytes=N rios=N wios=N
// dbytes=N dios=N"; the bytes read and written, summed over the devices.
// Fields that are not KEY=NUMBER are skipped.
struct IoTotals {
  uint64_t read_bytes = 0;
  uint64_t written_bytes = 0;
};
IoTotals ParseIoStat(std::string_view text);

// A space-separated list (cgroup.controllers, cgroup.subtree_control).
std::vector<std::string> ParseControllerList(std::string_view text);
// The list as those files show it: "cpu memory pids".
std::string FormatControllerList(const std::vector<std::string>& names);

// /sys/kernel/cgroup/delegate: the files of a cgroup that its delegatee may
// write, one a line. Lines that are not one plain file name are skipped.
std::vector<std::string> ParseDelegateList(std::string_view text);

}  // namespace uxc::kernel

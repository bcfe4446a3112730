// The command lines of the id-map helpers: uxc-newuidmap/uxc-newgidmap in
// shadow's syntax,
//   <pid>|fd:<N> <inside> <outside> <count> [<inside> <outside> <count>]...
// and uxc-newidmap, which writes both maps in one call,
//   <pid>|fd:<N>|wait:<N> u|g <inside> <outside> <count> [u|g <inside> <outside> <count>]...
// where wait:<N> defers the target: its pid comes later, as one line on the
// inherited pipe N (docs/idmap.md),
// and the kernel's rules for a map (user_namespaces(7), "Defining user and
// group ID mappings"). Pure code, fuzzed by map_request_fuzz.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace uxc::helpers {

enum class IdKind { kUid, kGid };

// The kernel's limit on lines in one map (since Linux 4.15).
inline constexpr size_t kMaxMapLines = 340;

struct IdRange {
  uint32_t inside = 0;
  uint32_t outside = 0;
  uint32_t count = 0;  // >= 1; neither side passes 4294967294
};

// Which process to map: a pid, or an inherited fd ("fd:N") that is an open
// /proc/PID directory (shadow >= 4.14) or a pidfd, or ("wait:N", uxc-newidmap
// only) a pid read later from the inherited pipe N.
struct TargetSpec {
  pid_t pid = 0;
  int fd = -1;
  int wait_fd = -1;
};

// The longest pid line a wait:N pipe may carry, newline included.
inline constexpr size_t kMaxPidLine = 16;

struct MapRequest {
  TargetSpec target;
  std::vector<IdRange> ranges;
};

// `args` are the arguments after the program name. Numbers are decimal only:
// no sign, no blanks, no leading 0 (shadow would read it as octal), no 0x.
// Errors are one line that says what to fix.
Result<MapRequest> ParseMapRequest(const std::vector<std::string_view>& args);

// The bytes read from a wait:N pipe: exactly one line, a pid in decimal as
// ParseMapRequest reads numbers, and its newline; nothing after it.
Result<pid_t> ParsePidLine(std::string_view bytes);

// uxc-newidmap's request: both maps of one process.
struct IdMapsRequest {
  TargetSpec target;
  std::vector<IdRange> uids;  // the "u" ranges, in the order given
  std::vector<IdRange> gids;  // the "g" ranges
};

// `args` are the arguments after the program name: the target, then ranges
// of four words, "u" or "g" and a triple as ParseMapRequest reads it. At
// least one range of each kind, at most 340 of each.
Result<IdMapsRequest> ParseIdMapsRequest(const std::vector<std::string_view>& args);

Result<TargetSpec> ParseTargetSpec(std::string_view text);

// The fd that an "fd:N" or "wait:N" first argument names, or -1: the
// start-up code must not close it. Looks at nothing but that one string.
int TargetFdArgument(int argc, char** argv);

// The rules the kernel enforces on the whole map, checked up front so the
// user learns which ranges are wrong: at most 340 lines, less than a page in
// one write, no two ranges overlapping inside, nor outside.
Status CheckMapShape(const std::vector<IdRange>& ranges, size_t page_size);

// "0 100000 65536", as the user typed it.
std::string DescribeRange(const IdRange& range);

// The text for /proc/PID/uid_map: one "inside outside count\n" per range.
std::string FormatMap(const std::vector<IdRange>& ranges);

}  // namespace uxc::helpers

#include "helpers/map_request.h"

#include <algorithm>
#include <climits>

#include "base/text.h"

namespace uxc::helpers {
namespace {

constexpr uint64_t kIdLimit = 4294967295;  // (uid_t)-1 is not an id
constexpr uint64_t kPidLimit = 4194304;    // PID_MAX_LIMIT on 64-bit, proc(5) pid_max

bool IsDecimal(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An argument in quotes for a message, cut after 40 characters.
std::string Quoted(std::string_view text) { return uxc::Quoted(text, 40); }

// A plain decimal number no larger than `limit`, or an error saying why not.

Result<uint64_t> ParseDecimal(std::string_view text, uint64_t limit, const std::string& what) {
  std::string shown = Quoted(text);
  if (!IsDecimal(text)) return PlainError(what + " " + shown + " is not a decimal number");
  if (text.size() > 1 && text[0] == '0') {
    return PlainError(what + " " + shown + " has a leading 0 (shadow reads that as octal): write it in decimal");
  }
  if (text.size() > 10) return PlainError(what + " " + shown + " is larger than " + std::to_string(limit));
  uint64_t value = 0;
  for (char c : text) value = value * 10 + static_cast<uint64_t>(c - '0');
  if (value > limit) return PlainError(what + " " + shown + " is larger than " + std::to_string(limit));
  return value;
}

Result<IdRange> ParseTriple(std::string_view inside, std::string_view outside, std::string_view count) {
  UXC_ASSIGN_OR_RETURN(auto in, ParseDecimal(inside, kIdLimit - 1, "inside id"));
  UXC_ASSIGN_OR_RETURN(auto out, ParseDecimal(outside, kIdLimit - 1, "outside id"));
  UXC_ASSIGN_OR_RETURN(auto n, ParseDecimal(count, kIdLimit, "count"));
  IdRange range{static_cast<uint32_t>(in), static_cast<uint32_t>(out), static_cast<uint32_t>(n)};
  std::string shown = DescribeRange(range);
  if (n == 0) return PlainError(shown + " has count 0: a range maps at least one id");
  if (in + n > kIdLimit || out + n > kIdLimit) {
    return PlainError(shown + " runs past id 4294967294, the largest id: lower the count");
  }
  return range;
}

// The first pair of ranges that overlap on one side, as "A and B", or "".
std::string FindOverlap(std::vector<IdRange> ranges, uint32_t IdRange::*side) {
  std::sort(ranges.begin(), ranges.end(), [side](const IdRange& a, const IdRange& b) { return a.*side < b.*side; });
  for (size_t i = 1; i < ranges.size(); ++i) {
    const IdRange& before = ranges[i - 1];
    if (uint64_t{before.*side} + before.count > ranges[i].*side) {
      return DescribeRange(before) + " and " + DescribeRange(ranges[i]);
    }
  }
  return "";
}

Result<TargetSpec> ParseTargetArgument(const std::vector<std::string_view>& args) {
  if (args.empty()) return PlainError("no target process given");
  return ParseTargetSpec(args[0]);
}

// How many ranges follow the target, each `form` (e.g. "<inside> <outside>
// <count>") of `words` words.
Result<size_t> CountRanges(const std::vector<std::string_view>& args, size_t words, const std::string& form) {
  size_t given = args.size() - 1;
  if (given == 0) return PlainError("no ranges given: add " + form);
  if (given % words != 0) {
    return PlainError("ranges come as " + form + ", but " + std::to_string(given) + " arguments follow the target");
  }
  return given / words;
}

Error TooManyRanges(size_t given, const char* which) {
  return PlainError(std::to_string(given) + which + " ranges given: the kernel accepts at most " +
                    std::to_string(kMaxMapLines) + " lines in a map");
}

}  // namespace

Result<TargetSpec> ParseTargetSpec(std::string_view text) {
  TargetSpec spec;
  if (text.starts_with("wait:")) {
    UXC_ASSIGN_OR_RETURN(auto fd, ParseDecimal(text.substr(5), INT_MAX, "the pid pipe fd in " + Quoted(text)));
    spec.wait_fd = static_cast<int>(fd);
    return spec;
  }
  if (text.starts_with("fd:")) {
    UXC_ASSIGN_OR_RETURN(auto fd,
                         ParseDecimal(text.substr(3), INT_MAX, "the target fd in " + std::string(text.substr(0, 40))));
    spec.fd = static_cast<int>(fd);
    return spec;
  }
  auto pid = ParseDecimal(text, kPidLimit, "the target pid");
  if (!pid.ok()) {
    return PlainError(pid.error().message + ": give a process id or fd:N (an open /proc/PID directory or pidfd)");
  }
  if (*pid == 0) return PlainError("the target pid 0 is not a process: give a process id or fd:N");
  spec.pid = static_cast<pid_t>(*pid);
  return spec;
}

int TargetFdArgument(int argc, char** argv) {
  if (argc < 2 || argv[1] == nullptr) return -1;
  std::string_view first(argv[1]);
  if (!first.starts_with("fd:") && !first.starts_with("wait:")) return -1;
  auto spec = ParseTargetSpec(first);
  if (!spec.ok()) return -1;
  return spec->fd >= 0 ? spec->fd : spec->wait_fd;
}

Result<pid_t> ParsePidLine(std::string_view bytes) {
  size_t newline = bytes.find('\n');
  if (bytes.empty()) return PlainError("the pipe was closed before a pid was written to it (the start was given up)");
  if (newline == std::string_view::npos) {
    if (bytes.size() >= kMaxPidLine) {
      return PlainError("the pid line " + Quoted(bytes) + " is longer than " + std::to_string(kMaxPidLine - 1) +
                        " characters");
    }
    return PlainError("the pid " + Quoted(bytes) + " has no newline: the pipe was closed after it");
  }
  if (newline + 1 != bytes.size()) {
    return PlainError("more than one line was written to the pipe: write the pid and one newline only");
  }
  UXC_ASSIGN_OR_RETURN(auto pid, ParseDecimal(bytes.substr(0, newline), kPidLimit, "the pid line"));
  if (pid == 0) return PlainError("the pid line \"0\" is not a process");
  return static_cast<pid_t>(pid);
}

Result<MapRequest> ParseMapRequest(const std::vector<std::string_view>& args) {
  UXC_ASSIGN_OR_RETURN(auto target, ParseTargetArgument(args));
  // Shadow's command line stays as shadow has it.
  if (target.wait_fd >= 0) {
    return PlainError("wait:N is uxc-newidmap's form: give a process id or fd:N, or use uxc-newidmap");
  }
  UXC_ASSIGN_OR_RETURN(auto count, CountRanges(args, 3, "<inside> <outside> <count>"));
  if (count > kMaxMapLines) return TooManyRanges(count, "");
  MapRequest request{target, {}};
  for (size_t i = 1; i < args.size(); i += 3) {
    UXC_ASSIGN_OR_RETURN(auto range, ParseTriple(args[i], args[i + 1], args[i + 2]));
    request.ranges.push_back(range);
  }
  return request;
}

Result<IdMapsRequest> ParseIdMapsRequest(const std::vector<std::string_view>& args) {
  UXC_ASSIGN_OR_RETURN(auto target, ParseTargetArgument(args));
  UXC_ASSIGN_OR_RETURN(auto count, CountRanges(args, 4, "u|g <inside> <outside> <count>"));
  // Bounds the work before any number is read; each map is checked below.
  if (count > 2 * kMaxMapLines) {
    return PlainError(std::to_string(count) + " ranges given: the kernel accepts at most " +
                      std::to_string(kMaxMapLines) + " lines in each of the two maps");
  }
  IdMapsRequest request{target, {}, {}};
  for (size_t i = 1; i < args.size(); i += 4) {
    std::string_view kind = args[i];
    if (kind != "u" && kind != "g") {
      return PlainError(Quoted(kind) + " is not u or g: each range starts with u (uids) or g (gids)");
    }
    auto range = ParseTriple(args[i + 1], args[i + 2], args[i + 3]);
    if (!range.ok()) return Annotate(range.take_error(), std::string(kind) + " range");
    (kind == "u" ? request.uids : request.gids).push_back(*range);
  }
  if (request.uids.empty() || request.gids.empty()) {
    const char* missing = request.uids.empty() ? "u" : "g";
    const char* single = request.uids.empty() ? "uxc-newgidmap" : "uxc-newuidmap";
    return PlainError(std::string("no ") + missing + " range given: uxc-newidmap writes both maps; add " + missing +
                      " <inside> <outside> <count>, or write the one map with " + single);
  }
  if (request.uids.size() > kMaxMapLines) return TooManyRanges(request.uids.size(), " u");
  if (request.gids.size() > kMaxMapLines) return TooManyRanges(request.gids.size(), " g");
  return request;
}

Status CheckMapShape(const std::vector<IdRange>& ranges, size_t page_size) {
  if (ranges.empty()) return PlainError("no ranges given: add <inside> <outside> <count>");
  if (ranges.size() > kMaxMapLines) return TooManyRanges(ranges.size(), "");
  if (std::string pair = FindOverlap(ranges, &IdRange::inside); !pair.empty()) {
    return PlainError("ranges " + pair + " overlap inside the namespace: each inside id may be mapped once");
  }
  if (std::string pair = FindOverlap(ranges, &IdRange::outside); !pair.empty()) {
    return PlainError("ranges " + pair + " overlap outside the namespace: each outside id may be mapped once");
  }
  // user_namespaces(7): the map must be written in one write() of fewer than
  // PAGE_SIZE bytes.
  size_t bytes = FormatMap(ranges).size();
  if (bytes >= page_size) {
    return PlainError("the map is " + std::to_string(bytes) + " bytes; the kernel takes less than " +
                      std::to_string(page_size) + " in its one write: use fewer ranges");
  }
  return OkStatus();
}

std::string DescribeRange(const IdRange& range) {
  return std::to_string(range.inside) + " " + std::to_string(range.outside) + " " + std::to_string(range.count);
}

std::string FormatMap(const std::vector<IdRange>& ranges) {
  std::string text;
  for (const IdRange& range : ranges) text += DescribeRange(range) + "\n";
  return text;
}

}  // namespace uxc::helpers

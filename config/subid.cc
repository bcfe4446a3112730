#include "config/subid.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "base/text.h"
#include "base/unique_fd.h"

namespace uxc::config {
namespace {

constexpr uint64_t kIdLimit = 4294967295;  // (uid_t)-1 is not an id
constexpr std::string_view kFormat = "lines look like NAME_OR_UID:START:COUNT, e.g. alice:100000:65536";

bool IsBlank(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t'; });
}

Error LineError(const std::string& origin, int line, const std::string& what) {
  return PlainError(origin + ":" + std::to_string(line) + ": " + what);
}

// Why `text` is not a plain decimal number in [0, 4294967295], or nullopt.
std::optional<std::string> NumberProblem(std::string_view text) {
  if (text.empty()) return "is empty";
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return "is not a decimal number";
  }
  if (text.size() > 1 && text[0] == '0') {
    return "has a leading 0, which shadow reads as octal; write it in decimal without the 0";
  }
  if (text.size() > 10 || std::stoull(std::string(text)) > kIdLimit) return "is larger than 4294967295";
  return std::nullopt;
}

// " \"text\"" when the line may be quoted, else nothing: the message then
// names the field and the reason only.
std::string Shown(bool quote, std::string_view text) { return quote ? " " + Quoted(text) : ""; }

std::optional<std::string> OwnerProblem(std::string_view owner, bool quote) {
  if (owner.empty()) return "the owner is empty";
  for (char c : owner) {
    if (c == ' ' || c == '\t' || c == '\r') return "the owner" + Shown(quote, owner) + " contains a blank";
  }
  bool numeric = std::all_of(owner.begin(), owner.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numeric) {
    if (auto problem = NumberProblem(owner)) return "the owner uid" + Shown(quote, owner) + " " + *problem;
    if (owner == "4294967295") return "the owner uid 4294967295 is not a valid uid";
  }
  return std::nullopt;
}

Result<SubidRange> ParseLine(std::string_view text, const std::string& origin, int line,
                             const QuotableLines& quotable) {
  std::vector<std::string_view> fields;
  size_t begin = 0;
  while (true) {
    size_t colon = text.find(':', begin);
    fields.push_back(text.substr(begin, colon == std::string_view::npos ? std::string_view::npos : colon - begin));
    if (colon == std::string_view::npos) break;
    begin = colon + 1;
  }
  // The line's content is shown only to its owner: /etc/subuid may be 0600.
  const bool quote = fields.size() >= 2 && quotable.OwnerIsCaller(fields[0]);
  if (fields.size() != 3) {
    std::string shown = quote ? Quoted(text) : "the line";
    return LineError(origin, line, shown + " has " + std::to_string(fields.size()) + " field(s), not 3: " +
                                       std::string(kFormat));
  }
  if (auto problem = OwnerProblem(fields[0], quote)) {
    return LineError(origin, line, *problem + ": " + std::string(kFormat));
  }
  if (auto problem = NumberProblem(fields[1])) {
    return LineError(origin, line, "the start" + Shown(quote, fields[1]) + " " + *problem);
  }
  if (auto problem = NumberProblem(fields[2])) {
    return LineError(origin, line, "the count" + Shown(quote, fields[2]) + " " + *problem);
  }
  SubidRange range;
  range.owner = std::string(fields[0]);
  range.start = static_cast<uint32_t>(std::stoull(std::string(fields[1])));
  range.count = static_cast<uint32_t>(std::stoull(std::string(fields[2])));
  range.line = line;
  if (range.count == 0) {
    return LineError(origin, line, "the count is 0, which grants nothing: remove the line or give a count");
  }
  if (range.end() > kIdLimit) {
    std::string shown = quote ? " " + std::string(fields[1]) + ":" + std::string(fields[2]) : "";
    return LineError(origin, line,
                     "the range" + shown + " ends past 4294967294, the largest id: make START + COUNT at most 4294967295");
  }
  return range;
}

std::string FileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a plain file";
}

}  // namespace

Result<std::vector<SubidRange>> ParseSubidText(std::string_view text, const std::string& origin,
                                               const QuotableLines& quotable) {
  std::vector<SubidRange> ranges;
  int line = 0;
  size_t begin = 0;
  while (begin < text.size()) {
    size_t newline = text.find('\n', begin);
    size_t end = newline == std::string_view::npos ? text.size() : newline;
    std::string_view content = text.substr(begin, end - begin);
    begin = end + 1;
    ++line;
    if (content.find('\0') != std::string_view::npos) {
      return LineError(origin, line, "contains a NUL byte: this is not a text file");
    }
    if (IsBlank(content) || content[0] == '#') continue;
    UXC_ASSIGN_OR_RETURN(auto range, ParseLine(content, origin, line, quotable));
    ranges.push_back(std::move(range));
  }
  return ranges;
}

Result<std::vector<SubidRange>> ParseSubidFd(int fd, const std::string& origin, const QuotableLines& quotable) {
  struct stat st;
  if (fstat(fd, &st) != 0) return ErrnoError("stat " + origin);
  if (!S_ISREG(st.st_mode)) return PlainError(origin + " is not a regular file (it is " + FileKind(st.st_mode) + ")");
  std::string text;
  char buffer[8192];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("read " + origin);
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  return ParseSubidText(text, origin, quotable);
}

Result<std::vector<SubidRange>> ParseSubidFile(const std::string& path, const QuotableLines& quotable) {
    // O_NONBLOCK: a FIFO in the file's place must not hang the open.
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK));
  if (!fd) {
    if (errno == ELOOP) return ErrnoError("open " + path + " (a symlink is refused; make it a regular file)");
    return ErrnoError("open " + path);
  }
  return ParseSubidFd(fd.get(), path, quotable);
}

std::vector<SubidRange> RangesFor(const std::vector<SubidRange>& ranges, const std::string& user, uid_t uid) {
  std::string uid_text = std::to_string(uid);
  std::vector<SubidRange> mine;
  for (const SubidRange& range : ranges) {
    if ((!user.empty() && range.owner == user) || range.owner == uid_text) mine.push_back(range);
  }
  return mine;
}

bool Covers(const std::vector<SubidRange>& ranges, uint32_t start, uint32_t count) {
  if (count == 0) return false;
  const uint64_t want_end = uint64_t{start} + count;
  uint64_t covered_to = start;  // [start, covered_to) is covered so far
  // Each pass extends the covered prefix by some entry that starts inside it;
  // the number of entries bounds the passes.
  for (size_t pass = 0; pass <= ranges.size() && covered_to < want_end; ++pass) {
    uint64_t next = covered_to;
    for (const SubidRange& range : ranges) {
      if (range.start <= covered_to && range.end() > next) next = range.end();
    }
    if (next == covered_to) return false;
    covered_to = next;
  }
  return covered_to >= want_end;
}

std::string DescribeRanges(const std::vector<SubidRange>& ranges) {
  if (ranges.empty()) return "none";
  std::string out;
  for (const SubidRange& range : ranges) {
    if (!out.empty()) out += ", ";
    out += std::to_string(range.start) + ":" + std::to_string(range.count);
  }
  return out;
}

}  // namespace uxc::config

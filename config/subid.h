// /etc/subuid and /etc/subgid: which subordinate ids root granted to whom.
// Format and every deliberate difference from shadow: docs/subid.md.
// Pure code: no NSS, no syscalls but the file read.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "config/quotable_lines.h"

namespace uxc::config {

// One line "OWNER:START:COUNT". OWNER is a login name or a decimal uid.
struct SubidRange {
  std::string owner;
  uint32_t start = 0;
  uint32_t count = 0;  // >= 1; start + count - 1 <= 4294967294
  int line = 0;        // 1-based line number in its file

  uint64_t end() const { return uint64_t{start} + count; }  // one past the last id
};

// Parses the whole text strictly: a line that is not a comment ("#..."), not
// blank and not a valid entry is an error "ORIGIN:LINE: what is wrong: what to
// write instead". `origin` names the file in messages. The content of a bad
// line is quoted only when `quotable` says it is the caller's own.
Result<std::vector<SubidRange>> ParseSubidText(std::string_view text, const std::string& origin,
                                               const QuotableLines& quotable = {});

// Reads and parses a file. It is opened O_NOFOLLOW (a symlinked policy file is
// refused, as shadow does) and must be a regular file. A missing file is an
// error with errno_value ENOENT; a file of another type is an error that
// names the file and gives no hint (the caller knows who can fix it).
Result<std::vector<SubidRange>> ParseSubidFile(const std::string& path, const QuotableLines& quotable = {});
// The same from an already open file (the setuid helpers open it early).
Result<std::vector<SubidRange>> ParseSubidFd(int fd, const std::string& origin, const QuotableLines& quotable = {});

// The entries that belong to a user: OWNER equals `user` or is the decimal
// `uid`. File order is kept.
std::vector<SubidRange> RangesFor(const std::vector<SubidRange>& ranges, const std::string& user, uid_t uid);

// Whether [start, start + count) lies inside the union of `ranges`, so a
// request may span adjacent (or overlapping) entries, as shadow chains them.
// count 0 is never covered.
bool Covers(const std::vector<SubidRange>& ranges, uint32_t start, uint32_t count);

// "100000:65536, 300000:10" for messages; "none" when empty.
std::string DescribeRanges(const std::vector<SubidRange>& ranges);

}  // namespace uxc::config

#include "config/usernet.h"

#include <algorithm>

#include "config/content_lines.h"
#include "base/read_file.h"

namespace uxc::config {
namespace {

constexpr std::string_view kFormat =
    "lines look like USER|@GROUP veth BRIDGE COUNT, e.g. \"alice veth uxcbr0 2\"";
constexpr uint32_t kMaxCount = 100000;

Error LineError(const std::string& origin, int line, const std::string& what) {
  return PlainError(origin + ":" + std::to_string(line) + ": " + what + "; " + std::string(kFormat));
}

bool IsDecimal(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A user or group name as shadow's useradd accepts it, loosely: no blanks,
// no ':' (the passwd separator), no control characters.
bool IsValidAccountName(std::string_view name) {
  if (name.empty()) return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f || c == ':' || c == '/';
  });
}

// `text` in quotes when the line may be quoted, else `field` (e.g. "the
// owner"): the file may be root-only, and the line another user's.
std::string Shown(bool quote, std::string_view text, const std::string& field) {
  return quote ? Quoted(text) : field;
}

Result<UsernetEntry> ParseEntry(std::string_view text, const std::string& origin, int line,
                                const QuotableLines& quotable) {
  std::vector<std::string_view> words = SplitFields(text);
  const bool quote = !words.empty() && quotable.OwnerIsCaller(words[0]);
  if (words.size() != 4) {
    return LineError(origin, line,
                     Shown(quote, text, "the line") + " has " + std::to_string(words.size()) + " field(s), not 4");
  }
  UsernetEntry entry{std::string(words[0]), std::string(words[1]), std::string(words[2]), 0, line};
  std::string_view account = entry.is_group() ? words[0].substr(1) : words[0];
  if (!IsValidAccountName(account)) {
    return LineError(origin, line, Shown(quote, words[0], "the owner") + " is not a user name or @group name");
  }
  if (entry.type != "veth") {
    return LineError(origin, line,
                     "nic type " + (quote ? Quoted(entry.type) + " " : "") +
                         "is not supported: uxc-user-nic creates only veth pairs");
  }
  if (entry.bridge != "none" && !IsValidInterfaceName(entry.bridge)) {
    return LineError(origin, line,
                     Shown(quote, entry.bridge, "the bridge") +
                         " is not a valid bridge name (1-15 characters, no '/', ':' or blanks), nor \"none\"");
  }
  if (!IsDecimal(words[3]) || words[3].size() > 6 || std::stoul(std::string(words[3])) > kMaxCount) {
    return LineError(origin, line,
                     "the count " + (quote ? Quoted(words[3]) + " " : "") + "is not a number from 0 to " +
                         std::to_string(kMaxCount));
  }
  entry.count = static_cast<uint32_t>(std::stoul(std::string(words[3])));
  return entry;
}

}  // namespace

bool IsValidInterfaceName(std::string_view name) {
  if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return c == '/' || c == ':' || byte <= 0x20 || byte == 0x7f;
  });
}

Result<std::vector<UsernetEntry>> ParseUsernetText(std::string_view text, const std::string& origin,
                                                   const QuotableLines& quotable) {
  if (text.find('\0') != std::string_view::npos) {
    return PlainError(origin + " contains a NUL byte: it is not a text file; rewrite it");
  }
  std::vector<UsernetEntry> entries;
  for (const ContentLine& line : ContentLines(text)) {
    UXC_ASSIGN_OR_RETURN(UsernetEntry entry, ParseEntry(line.text, origin, line.number, quotable));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::vector<UsernetEntry>> ParseUsernetFile(const std::string& path, const QuotableLines& quotable) {
  UXC_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
  return ParseUsernetText(text, path, quotable);
}

Result<std::vector<UsernetEntry>> ParseUsernetFd(int fd, const std::string& origin, const QuotableLines& quotable) {
  UXC_ASSIGN_OR_RETURN(std::string text, ReadSmallFd(fd, origin));
  return ParseUsernetText(text, origin, quotable);
}

std::vector<UsernetEntry> EntriesFor(const std::vector<UsernetEntry>& entries, const std::string& user,
                                     const std::vector<std::string>& groups) {
  std::vector<UsernetEntry> applying;
  for (const UsernetEntry& entry : entries) {
    bool applies = entry.is_group()
                       ? std::find(groups.begin(), groups.end(), entry.owner.substr(1)) != groups.end()
                       : entry.owner == user;
    if (applies) applying.push_back(entry);
  }
  return applying;
}

UsernetAllowance AllowanceFor(const std::vector<UsernetEntry>& entries, const std::string& user,
                              const std::vector<std::string>& groups, std::string_view type,
                              std::string_view bridge) {
  UsernetAllowance allowance;
  for (const UsernetEntry& entry : EntriesFor(entries, user, groups)) {
    if (entry.type != type || entry.bridge != bridge) continue;
    allowance.total += entry.count;
    allowance.entries.push_back(entry);
  }
  return allowance;
}

std::string DescribeEntries(const std::vector<UsernetEntry>& entries) {
  if (entries.empty()) return "none";
  std::string text;
  for (const UsernetEntry& entry : entries) {
    if (!text.empty()) text += ", ";
    text += entry.owner + " " + entry.type + " " + entry.bridge + " " + std::to_string(entry.count) + " (line " +
            std::to_string(entry.line) + ")";
  }
  return text;
}

}  // namespace uxc::config

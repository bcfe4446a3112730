#include "launcher/cli/ls_row.h"

#include <regex.h>

#include <algorithm>
#include <cctype>

#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_json.h"

namespace uxc::cli {
namespace {

const std::vector<std::string>& KnownColumns() {
  static const std::vector<std::string> kColumns = {"NAME", "STATE",  "PID",  "AUTOSTART",
                                                    "GROUPS", "IPV4", "IPV6", "UNPRIVILEGED"};
  return kColumns;
}

std::string Joined(const std::vector<std::string>& items, const std::string& none) {
  if (items.empty()) return none;
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::string Cell(const LsRow& row, const std::string& column) {
  if (column == "NAME") return row.name;
  if (column == "STATE") return row.state;
  if (column == "PID") return row.pid > 0 ? std::to_string(row.pid) : "-";
  if (column == "AUTOSTART") return row.autostart;
  if (column == "GROUPS") return Joined(row.groups, "-");
  if (column == "IPV4") return Joined(row.ipv4, "-");
  if (column == "IPV6") return Joined(row.ipv6, "-");
  return row.unprivileged;
}

bool Contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

bool MatchesRegex(const std::string& pattern, const std::string& name) {
  regex_t compiled;
  if (regcomp(&compiled, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0) return false;
  bool matched = regexec(&compiled, name.c_str(), 0, nullptr, 0) == 0;
  regfree(&compiled);
  return matched;
}

// glibc's regcomp expands repetitions into copies: "a++++..." or nested
// intervals take it gigabytes. POSIX leaves adjacent duplication symbols
// undefined, so they are refused, and so are intervals that multiply past
// kMaxCopies or a FILTER longer than any name could need.
constexpr size_t kMaxFilterLength = 256;
constexpr unsigned long kMaxCopies = 1000;

bool IsDuplication(char c) { return c == '*' || c == '+' || c == '?'; }

// The bound of the interval that starts at `text[*at]` == '{' (its upper
// bound, else its lower); *at moves to its '}'. 1 when it is malformed
// (regcomp says so).
unsigned long IntervalBound(const std::string& text, size_t* at) {
  size_t close = text.find('}', *at);
  if (close == std::string::npos) return 1;
  std::string inside = text.substr(*at + 1, close - *at - 1);
  size_t comma = inside.find(',');
  std::string bound = comma == std::string::npos || comma + 1 == inside.size() ? inside.substr(0, comma)
                                                                                  : inside.substr(comma + 1);
  if (bound.empty() || bound.size() > 5 || bound.find_first_not_of("0123456789") != std::string::npos) return 1;
  *at = close;
  return std::max(1ul, std::stoul(bound));
}

// The index of the ']' that closes the bracket expression at `open` ("[]a]"
// and "[^]a]" hold a literal ']'); the last index when none does.
size_t BracketEnd(const std::string& text, size_t open) {
  size_t at = open + 1;
  if (at < text.size() && text[at] == '^') ++at;
  if (at < text.size() && text[at] == ']') ++at;
  size_t close = text.find(']', at);
  return close == std::string::npos ? text.size() : close;
}

Status CheckFilterSize(const std::string& filter) {
  if (filter.size() > kMaxFilterLength) {
    return UsageErrorFor("ls", "FILTER is longer than " + std::to_string(kMaxFilterLength) + " characters");
  }
  unsigned long copies = 1;
  bool after_duplication = false;
  for (size_t i = 0; i < filter.size(); ++i) {
    char c = filter[i];
    bool duplication = IsDuplication(c) || c == '{';
    if (duplication && after_duplication) {
      return UsageErrorFor("ls", "FILTER \"" + filter + "\" repeats a repetition (e.g. \"a+*\"); write it once");
    }
    if (c == '{') copies = std::min(copies * IntervalBound(filter, &i), kMaxCopies + 1);
    if (copies > kMaxCopies) {
      return UsageErrorFor("ls", "FILTER \"" + filter + "\": its {N} intervals repeat too much");
    }
    if (c == '\\') ++i;
    if (c == '[') i = BracketEnd(filter, i);
    after_duplication = duplication;
  }
  return OkStatus();
}

}  // namespace

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

Result<LsFilter> LsFilter::Make(LsSelection selection) {
  if (!selection.filter.empty()) {
    UXC_RETURN_IF_ERROR(CheckFilterSize(selection.filter));
    regex_t compiled;
    int code = regcomp(&compiled, selection.filter.c_str(), REG_EXTENDED | REG_NOSUB);
    if (code != 0) {
      char why[128];
      regerror(code, &compiled, why, sizeof why);
      return UsageErrorFor("ls", "FILTER \"" + selection.filter + "\" is not a regular expression: " + why);
    }
    regfree(&compiled);
  }
  LsFilter filter;
  filter.selection_ = std::move(selection);
  return filter;
}

bool LsFilter::Keeps(const LsRow& row) const {
  if (!selection_.states.empty() && !Contains(selection_.states, row.state)) return false;
  if (!selection_.groups.empty() &&
      std::none_of(row.groups.begin(), row.groups.end(),
                   [&](const std::string& group) { return Contains(selection_.groups, group); })) {
    return false;
  }
  return selection_.filter.empty() || MatchesRegex(selection_.filter, row.name);
}

Result<std::vector<std::string>> ParseColumns(const std::string& list) {
  std::vector<std::string> columns;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = std::min(list.find(',', start), list.size());
    std::string column = list.substr(start, comma - start);
    for (char& c : column) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!Contains(KnownColumns(), column)) {
      return UsageErrorFor("ls", "-F: no column \"" + column + "\"; choose from " + Joined(KnownColumns(), ""));
    }
    columns.push_back(column);
    start = comma + 1;
  }
  return columns;
}

const std::vector<std::string>& DefaultColumns() {
  static const std::vector<std::string> kColumns = {"NAME", "STATE", "AUTOSTART", "GROUPS",
                                                    "IPV4", "IPV6",  "UNPRIVILEGED"};
  return kColumns;
}

std::string FormatTable(const std::vector<LsRow>& rows, const std::vector<std::string>& columns) {
  std::vector<std::vector<std::string>> cells = {columns};
  for (const LsRow& row : rows) {
    cells.emplace_back();
    for (const std::string& column : columns) cells.back().push_back(Cell(row, column));
  }
  std::vector<size_t> widths(columns.size(), 0);
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  std::string text;
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) {
      std::string cell = line[i];
      if (i + 1 < line.size()) cell.resize(widths[i] + 1, ' ');
      text += cell;
    }
    text += "\n";
  }
  return text;
}

std::string FormatJson(const std::vector<LsRow>& rows) {
  std::string text = "[";
  for (size_t i = 0; i < rows.size(); ++i) {
    const LsRow& row = rows[i];
    text += std::string(i ? "," : "") + "\n  {\"name\": " + JsonString(row.name) +
            ", \"state\": " + JsonString(row.state) + ", \"pid\": " + (row.pid > 0 ? std::to_string(row.pid) : "null") +
            ", \"autostart\": " + (row.autostart == "1" ? "true" : "false") +
            ", \"groups\": " + JsonStringArray(row.groups) + ", \"ipv4\": " + JsonStringArray(row.ipv4) +
            ", \"ipv6\": " + JsonStringArray(row.ipv6) + ", \"unprivileged\": " + row.unprivileged +
            ", \"config\": " + JsonString(row.config_path) +
            ", \"created\": " + (row.created.empty() ? "null" : JsonString(row.created)) + "}";
  }
  return text + (rows.empty() ? "" : "\n") + "]\n";
}

}  // namespace uxc::cli

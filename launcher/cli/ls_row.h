// One container as `uxc ls` shows it, and how lxc-ls's options pick and
// print rows: the FILTER regex, the state and group filters, and the
// -F/--fancy-format columns. Pure: ls.cc fills the rows from the host.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace uxc::cli {

struct LsRow {
  std::string name;
  std::string state;  // RUNNING, STOPPED, FROZEN or UNKNOWN
  int pid = 0;        // the init's pid while RUNNING, else 0
  std::string autostart = "0";
  std::vector<std::string> groups;
  std::vector<std::string> ipv4;
  std::vector<std::string> ipv6;
  std::string unprivileged = "true";
  std::string config_path;
  std::string created;  // ISO 8601 UTC; see CreatedTime in ls.cc
};

// Which rows to show, as lxc-ls's options say.
struct LsSelection {
  std::string filter;               // a POSIX extended regex on the name; "" for all
  std::vector<std::string> states;  // RUNNING, STOPPED, FROZEN: any of them; empty for all
  std::vector<std::string> groups;  // in any of these groups; empty for all
};

// The regex compiled once; a bad FILTER is a usage error.
class LsFilter {
 public:
  static Result<LsFilter> Make(LsSelection selection);
  bool Keeps(const LsRow& row) const;

 private:
  LsSelection selection_;
};

// "a,b,,c" → {"a", "b", "c"} (lxc.group, -g).
std::vector<std::string> CommaList(const std::string& text);

// "NAME,STATE,PID" (-F): the columns, upper-cased; an unknown one is a
// usage error that lists the known ones.
Result<std::vector<std::string>> ParseColumns(const std::string& list);
const std::vector<std::string>& DefaultColumns();

// The table, one line per row, columns padded to their widest cell.
std::string FormatTable(const std::vector<LsRow>& rows, const std::vector<std::string>& columns);
// ls --format json: an array of objects.
std::string FormatJson(const std::vector<LsRow>& rows);

}  // namespace uxc::cli

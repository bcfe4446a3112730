// /etc/uxc/usernet: which users may attach how many veth nics to which
// bridge through uxc-user-nic. Semantics and every difference from LXC's
// lxc-usernet: docs/usernet.md. Pure code: no syscalls but the file read.
//
//   # USER|@GROUP  TYPE  BRIDGE  COUNT
//   alice          veth  uxcbr0  2
//   @netusers      veth  uxcbr0  10
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "config/quotable_lines.h"

namespace uxc::config {

struct UsernetEntry {
  std::string owner;   // a user name, or "@group"
  std::string type;    // always "veth"
  std::string bridge;  // an interface name, or "none" for no bridge
  uint32_t count = 0;
  int line = 0;        // 1-based line in its file

  bool is_group() const { return owner.starts_with("@"); }
};

// Parses the whole text strictly: a line that is not blank, not a comment
// and not a valid entry is an error "ORIGIN:LINE: what is wrong: what to
// write instead". `origin` names the file in messages. A bad line's content
// is quoted only when `quotable` says its owner is the caller (never for
// "@group" lines).
Result<std::vector<UsernetEntry>> ParseUsernetText(std::string_view text, const std::string& origin,
                                                   const QuotableLines& quotable = {});
// The same from a file, or from an already open file (the setuid helper
// opens it early and checks it itself).
Result<std::vector<UsernetEntry>> ParseUsernetFile(const std::string& path, const QuotableLines& quotable = {});
Result<std::vector<UsernetEntry>> ParseUsernetFd(int fd, const std::string& origin,
                                                 const QuotableLines& quotable = {});

// Whether `name` is a valid network interface name as the kernel's
// dev_valid_name() sees it: 1-15 bytes, not "." or "..", no '/', ':' or
// whitespace.
bool IsValidInterfaceName(std::string_view name);

// The entries that apply to a user: owner equals `user`, or is "@G" with G
// among `groups` (the user's group names). File order is kept.
std::vector<UsernetEntry> EntriesFor(const std::vector<UsernetEntry>& entries, const std::string& user,
                                     const std::vector<std::string>& groups);

// What a user may attach to one bridge: the sum of every applying line for
// (type, bridge), and those lines.
struct UsernetAllowance {
  uint64_t total = 0;
  std::vector<UsernetEntry> entries;
};
UsernetAllowance AllowanceFor(const std::vector<UsernetEntry>& entries, const std::string& user,
                              const std::vector<std::string>& groups, std::string_view type,
                              std::string_view bridge);

// "alice veth uxcbr0 2 (line 3), @netusers veth uxcbr0 10 (line 4)"; "none"
// when empty. For messages.
std::string DescribeEntries(const std::vector<UsernetEntry>& entries);

}  // namespace uxc::config

// The nic allocation database, /run/uxc/nics: one line per veth pair that
// uxc-user-nic created, so that usernet quotas can be counted. Only the
// helper writes it, as root, under an exclusive lock. Format and the choice
// of fields: docs/usernet.md. Pure code: parse and serialize.
//
//   # OWNER  TYPE  BRIDGE  HOSTNIC        IFINDEX  UID
//   alice    veth  uxcbr0  veth1000_a1B2  731      1000
//   @net     veth  uxcbr0  veth1001_zZ9q  733      1001
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "config/quotable_lines.h"

namespace uxc::config {

struct NicRecord {
  std::string owner;     // the usernet line name charged: "alice" or "@group"
  std::string type;      // "veth"
  std::string bridge;    // bridge name or "none"
  std::string host_nic;  // the host end of the pair
  // The host end's ifindex when it was made. A name alone may be reused by a
  // later nic once the container's netns is gone; name plus ifindex may not.
  // 0 marks a create in progress: written before the pair is made, so that a
  // helper killed before it could record the ifindex leaves a trace. Any
  // later helper holding the lock knows its maker is gone (the maker held
  // the lock throughout) and removes the device the name names, if any.
  int32_t ifindex = 0;
  bool pending() const { return ifindex == 0; }
  uid_t uid = 0;         // the real uid of the user who asked for it

  bool operator==(const NicRecord&) const = default;
};

inline constexpr char kNicDbPath[] = "/run/uxc/nics";

// Parses the whole database strictly; a bad line is an error
// "ORIGIN:LINE: what is wrong", since only the helper writes the file. A bad
// line's content is quoted only when `quotable` says it is the caller's.
Result<std::vector<NicRecord>> ParseNicDb(std::string_view text, const std::string& origin,
                                          const QuotableLines& quotable = {});

// One line per record, in order, each ending in '\n'; ParseNicDb reads it
// back unchanged. Records must be valid (as ParseNicDb would accept).
std::string SerializeNicDb(const std::vector<NicRecord>& records);

// Whether a record is still live: the helper passes a check that the host
// nic with this name exists in the host netns and has this ifindex.
using NicIsLive = std::function<bool(const NicRecord&)>;

// The records whose nic still exists. The kernel destroys a veth pair with
// the netns holding its peer, so a stopped container's records go stale on
// their own and culling frees their quota.
std::vector<NicRecord> LiveRecords(const std::vector<NicRecord>& records, const NicIsLive& is_live);

// How many records are charged to a usernet line name for (type, bridge).
uint64_t NicsHeldBy(const std::vector<NicRecord>& records, std::string_view owner, std::string_view type,
                    std::string_view bridge);

}  // namespace uxc::config

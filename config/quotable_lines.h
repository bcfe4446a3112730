// Which lines of a policy file an error message may quote. The setuid
// helpers read root-only files (/etc/subuid may be 0600) on behalf of any
// caller, so a message about a bad line quotes it only when it is the
// caller's own; every other line is named by file:line and the reason alone.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uxc::config {

struct QuotableLines {
  std::vector<std::string> names;  // the caller's login names
  std::optional<uid_t> uid;        // the caller's uid, as a decimal owner field

  // Whether a line whose owner field reads `owner` is the caller's. A
  // default-constructed value quotes no line at all.
  bool OwnerIsCaller(std::string_view owner) const;
  bool UidIsCaller(std::string_view uid_field) const;
};

}  // namespace uxc::config

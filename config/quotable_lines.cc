#include "config/quotable_lines.h"

#include <algorithm>

namespace uxc::config {

bool QuotableLines::OwnerIsCaller(std::string_view owner) const {
  if (owner.empty()) return false;
  if (std::find(names.begin(), names.end(), owner) != names.end()) return true;
  return UidIsCaller(owner);
}

bool QuotableLines::UidIsCaller(std::string_view uid_field) const {
  return uid.has_value() && !uid_field.empty() && uid_field == std::to_string(*uid);
}

}  // namespace uxc::config

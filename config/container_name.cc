#include "config/container_name.h"

#include <string>

#include "config/content_lines.h"

namespace uxc::config {
namespace {

bool AllowedInName(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '-';
}

bool IsContainerName(std::string_view name) {
  if (name.empty() || name.size() > kMaxContainerNameLength) return false;
  if (name.front() == '.' || name.front() == '-') return false;
  for (char c : name) {
    if (!AllowedInName(c)) return false;
  }
  return true;
}

}  // namespace

Status ValidateContainerName(std::string_view name) {
  if (IsContainerName(name)) return OkStatus();
  // A hostile name may be long: quote a bounded prefix.
  std::string_view shown = name.substr(0, 2 * kMaxContainerNameLength);
  return PlainError(Quoted(shown) + (shown.size() < name.size() ? "..." : "") +
                    " is not a container name: use 1-64 letters, digits, '.', '_' or '-', not starting "
                    "with '.' or '-'");
}

}  // namespace uxc::config

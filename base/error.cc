#include "base/error.h"

#include <cstring>

namespace uxc {

std::string Error::Summary() const {
  if (errno_value == 0) return message;
  return message + ": " + std::strerror(errno_value);
}

std::string Error::ToString() const {
  if (hint.empty()) return Summary();
  return Summary() + "\n" + hint;
}

Error ErrnoError(std::string context) { return Error{errno, std::move(context)}; }

Error ErrnoError(int errno_value, std::string context) {
  return Error{errno_value, std::move(context)};
}

Error PlainError(std::string message) { return Error{0, std::move(message)}; }

Error UsageError(std::string message) { return Error{0, std::move(message), true}; }

Error WithHint(Error error, std::string hint) {
  error.hint = std::move(hint);
  return error;
}

std::string PrefixedLines(const std::string& prefix, const Error& error) {
  std::string text;
  std::string lines = error.ToString();
  size_t start = 0;
  while (start <= lines.size()) {
    size_t end = lines.find('\n', start);
    if (end == std::string::npos) end = lines.size();
    text += prefix + ": " + lines.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return text;
}

Error Annotate(Error error, const std::string& context) {
  error.message = context + ": " + error.message;
  return error;
}

}  // namespace uxc

#include "base/error.h"

#include <cstring>

namespace uxc {

std::string Error::ToString() const {
  if (errno_value == 0) return message;
  return message + ": " + std::strerror(errno_value);
}

Error ErrnoError(std::string context) { return Error{errno, std::move(context)}; }

Error ErrnoError(int errno_value, std::string context) {
  return Error{errno_value, std::move(context)};
}

Error PlainError(std::string message) { return Error{0, std::move(message)}; }

Error UsageError(std::string message) { return Error{0, std::move(message), true}; }

Error Annotate(Error error, const std::string& context) {
  error.message = context + ": " + error.message;
  return error;
}

}  // namespace uxc

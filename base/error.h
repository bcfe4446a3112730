// The project's error convention (docs/errors.md): a function that can fail
// returns Result<T>; the error carries errno (0 when none applies), a
// context message that names what was being done to what, and, when the
// user can act on it, a hint that says what to do.
#pragma once

#include <cerrno>
#include <string>
#include <utility>
#include <variant>

namespace uxc {

struct Error {
  int errno_value = 0;
  std::string message;
  // A bad command line (unknown option, missing or extra argument, bad
  // option value): the CLI exits 2 for it, 1 for any other failure.
  bool usage = false;
  // What the user can do about it ("ask root to run ..."); may be empty.
  // Never glued onto `message`: it is shown on a line of its own.
  std::string hint{};

  // "message: strerror(errno)" when errno is set, else "message".
  std::string Summary() const;
  // The summary, and the hint on a line of its own when there is one.
  std::string ToString() const;
};

// An error from a failed syscall; reads errno at the call.
Error ErrnoError(std::string context);
Error ErrnoError(int errno_value, std::string context);
// An error that has no errno: bad input, a refused request.
Error PlainError(std::string message);
// A bad command line; see Error::usage.
Error UsageError(std::string message);
// The same error with what the user can do about it; see Error::hint.
Error WithHint(Error error, std::string hint);

// The error as a program prints it: each line of ToString() after
// "prefix: ", each ending in a newline.
std::string PrefixedLines(const std::string& prefix, const Error& error);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(state_); }
  Error&& take_error() { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

// Prefixes an error's message with more context: "start c1: " + message.
Error Annotate(Error error, const std::string& context);

}  // namespace uxc

// Returns the error of `expr` (a Result) from the enclosing function.
#define UXC_RETURN_IF_ERROR(expr)                  \
  do {                                             \
    auto uxc_status_ = (expr);                     \
    if (!uxc_status_.ok()) return uxc_status_.take_error(); \
  } while (0)

// Declares or assigns `lhs` from the value of `expr` (a Result), or returns
// its error from the enclosing function:
//   UXC_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
#define UXC_ASSIGN_OR_RETURN(lhs, expr) \
  UXC_ASSIGN_OR_RETURN_IMPL_(UXC_CONCAT_(uxc_result_, __LINE__), lhs, expr)
#define UXC_ASSIGN_OR_RETURN_IMPL_(result, lhs, expr) \
  auto result = (expr);                                \
  if (!result.ok()) return result.take_error();        \
  lhs = std::move(*result)
#define UXC_CONCAT_(a, b) UXC_CONCAT_INNER_(a, b)
#define UXC_CONCAT_INNER_(a, b) a##b

// Small text helpers every binary shares: trimming a line, quoting a value
// for a message, reading a whole number.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>

namespace uxc {

// Without the spaces, tabs and CRs (a file edited on Windows) around it.
std::string_view Trim(std::string_view text);

// `text` in double quotes for a message, on one line of plain ASCII: a quote
// or backslash gets a backslash, a tab, CR or newline shows as \t, \r, \n,
// any other control character or non-ASCII byte as \xNN. With `max_chars`,
// what follows that many characters is cut, and "..." inside the quotes says so.
std::string Quoted(std::string_view text, size_t max_chars = std::string_view::npos);

// All of `text` as a number of type Int (std::from_chars: decimal, a '-'
// only for a signed type, no blanks or '+'), or nullopt when it is not one or
// does not fit.
template <typename Int>
std::optional<Int> ParseNumber(std::string_view text) {
  Int value{};
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) return std::nullopt;
  return value;
}

// The same into `*out`, which is left as it was when `text` is not a number.
template <typename Int>
bool ParseNumber(std::string_view text, Int* out) {
  std::optional<Int> parsed = ParseNumber<Int>(text);
  if (parsed) *out = *parsed;
  return parsed.has_value();
}

}  // namespace uxc

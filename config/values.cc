// Scalar value parsers: booleans, integers, sizes, signals, cgroup2 keys.
#include "config/values.h"

#include <signal.h>
#include <string.h>

#include <array>
#include <charconv>

#include "config/text_util.h"

namespace uxc::config {
namespace {

// Parses all of `text` as a decimal uint64_t; false on junk or overflow.
bool ParseDecimal(std::string_view text, uint64_t* out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

// The multiplier of a size suffix: "", "k", "KiB", "mb", ... (binary, as LXC).
bool SizeMultiplier(std::string_view suffix, uint64_t* multiplier) {
  std::string unit = ToLower(suffix);
  if (EndsWith(unit, "ib")) {
    unit.resize(unit.size() - 2);
    if (unit.empty()) return false;  // a bare "iB"
  } else if (EndsWith(unit, "b")) {
    unit.resize(unit.size() - 1);
  }
  static constexpr std::string_view kUnits = "kmgtpe";
  if (unit.empty()) {
    *multiplier = 1;
    return true;
  }
  if (unit.size() != 1) return false;
  size_t power = kUnits.find(unit[0]);
  if (power == std::string_view::npos) return false;
  *multiplier = uint64_t{1} << (10 * (power + 1));
  return true;
}

// The real-time signal named by "RTMIN", "RTMIN+3" or "RTMAX-2", or 0.
int ParseRealtimeSignal(std::string_view name) {
  int base;
  if (StartsWith(name, "RTMIN")) {
    base = SIGRTMIN;
  } else if (StartsWith(name, "RTMAX")) {
    base = SIGRTMAX;
  } else {
    return 0;
  }
  std::string_view offset_text = name.substr(5);
  if (offset_text.empty()) return base;
  char sign = offset_text[0];
  if (sign != '+' && sign != '-') return 0;
  uint64_t offset;
  if (!ParseDecimal(offset_text.substr(1), &offset)) return 0;
  if (offset > static_cast<uint64_t>(SIGRTMAX - SIGRTMIN)) return 0;
  int signal_number = sign == '+' ? base + static_cast<int>(offset) : base - static_cast<int>(offset);
  if (signal_number < SIGRTMIN || signal_number > SIGRTMAX) return 0;
  return signal_number;
}

}  // namespace

Result<bool> ParseBool(std::string_view value) {
  std::string lower = ToLower(Trim(value));
  if (lower == "1" || lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "0" || lower == "false" || lower == "no" || lower == "off") return false;
  return PlainError("not a boolean: " + Quote(value) + "; use 1 or 0 (true/false, yes/no, on/off)");
}

std::string RootfsDirectory(std::string_view value) {
  if (value.starts_with("dir:")) value.remove_prefix(4);
  if (!value.starts_with("/")) return "";
  std::string path(value);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

Result<uint64_t> ParseUnsigned(std::string_view value, uint64_t max) {
  uint64_t number;
  if (!ParseDecimal(Trim(value), &number)) {
    return PlainError("not a non-negative decimal integer: " + Quote(value));
  }
  if (number > max) {
    return PlainError("out of range: " + Quote(value) + "; the largest allowed value is " +
                      std::to_string(max));
  }
  return number;
}

Result<uint64_t> ParseSize(std::string_view value) {
  std::string_view text = Trim(value);
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  uint64_t number;
  uint64_t multiplier;
  if (digits == 0 || !ParseDecimal(text.substr(0, digits), &number) ||
      !SizeMultiplier(Trim(text.substr(digits)), &multiplier)) {
    return PlainError("not a size: " + Quote(value) +
                      "; write bytes as a number with an optional unit, e.g. 4096, 64k, 512M, 2G");
  }
  if (number > UINT64_MAX / multiplier) {
    return PlainError("size too large: " + Quote(value));
  }
  return number * multiplier;
}

Result<int> ParseSignal(std::string_view value) {
  std::string_view text = Trim(value);
  uint64_t number;
  if (ParseDecimal(text, &number)) {
    if (number >= 1 && number <= static_cast<uint64_t>(SIGRTMAX)) return static_cast<int>(number);
    return PlainError("no such signal number: " + Quote(value) + "; signals are 1 to " +
                      std::to_string(SIGRTMAX));
  }
  std::string name(text);
  for (char& c : name) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  if (StartsWith(name, "SIG")) name.erase(0, 3);
  if (int realtime = ParseRealtimeSignal(name); realtime != 0) return realtime;
  for (int signal_number = 1; signal_number < SIGRTMIN; ++signal_number) {
    const char* abbreviation = sigabbrev_np(signal_number);
    if (abbreviation != nullptr && name == abbreviation) return signal_number;
  }
  return PlainError("not a signal: " + Quote(value) +
                    "; use a name (SIGTERM, TERM, SIGRTMIN+3) or a number (15)");
}

}  // namespace uxc::config

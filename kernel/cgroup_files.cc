#include "kernel/cgroup_files.h"

#include <algorithm>
#include <charconv>

#include "config/text_util.h"

namespace uxc::kernel {
namespace {

std::optional<uint64_t> ParseDecimal(std::string_view text) {
  uint64_t value = 0;
  if (text.empty() || text.front() == '+') return std::nullopt;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::map<std::string, uint64_t, std::less<>> ParseFlatKeyed(std::string_view text) {
  std::map<std::string, uint64_t, std::less<>> values;
  for (std::string_view line : config::Split(text, '\n')) {
    std::vector<std::string_view> fields = config::SplitFields(line);
    if (fields.size() != 2) continue;
    std::optional<uint64_t> value = ParseDecimal(fields[1]);
    if (value) values.emplace(fields[0], *value);
  }
  return values;
}

std::optional<uint64_t> ParseSingleValue(std::string_view text) {
  if (text.ends_with('\n')) text.remove_suffix(1);
  return ParseDecimal(text);
}

IoTotals ParseIoStat(std::string_view text) {
  IoTotals totals;
  for (std::string_view line : config::Split(text, '\n')) {
    std::vector<std::string_view> fields = config::SplitFields(line);
    for (size_t i = 1; i < fields.size(); ++i) {
      size_t equals = fields[i].find('=');
      if (equals == std::string_view::npos) continue;
      std::optional<uint64_t> value = ParseDecimal(fields[i].substr(equals + 1));
      if (!value) continue;
      std::string_view key = fields[i].substr(0, equals);
      // Saturating: a sum of counters must not wrap into a small figure.
      uint64_t* total = key == "rbytes" ? &totals.read_bytes : key == "wbytes" ? &totals.written_bytes : nullptr;
      if (total != nullptr) *total = *value > UINT64_MAX - *total ? UINT64_MAX : *total + *value;
    }
  }
  return totals;
}

std::vector<std::string> ParseControllerList(std::string_view text) {
  std::vector<std::string> names;
  for (std::string_view field : config::SplitFields(config::Split(text, '\n').front())) names.emplace_back(field);
  return names;
}

std::string FormatControllerList(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : " ") + name;
  return text;
}

std::vector<std::string> ParseDelegateList(std::string_view text) {
  std::vector<std::string> files;
  for (std::string_view line : config::Split(text, '\n')) {
    line = Trim(line);
    bool plain = !line.empty() && line.size() <= 255 && line != "." && line != ".." &&
                 std::all_of(line.begin(), line.end(), [](char c) { return c > ' ' && c < 0x7f && c != '/'; });
    if (plain) files.emplace_back(line);
  }
  return files;
}

}  // namespace uxc::kernel

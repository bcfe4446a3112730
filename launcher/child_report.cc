#include "launcher/child_report.h"

#include <cstring>
#include <string>

namespace uxc::launcher {

void AppendBounded(char* buffer, size_t size, const char* text) {
  if (size == 0 || text == nullptr) return;
  size_t used = strnlen(buffer, size - 1);
  size_t room = size - 1 - used;
  size_t length = strnlen(text, room);
  memcpy(buffer + used, text, length);
  buffer[used + length] = '\0';
}

void AppendNumber(char* buffer, size_t size, long long value) {
  char digits[24];
  size_t n = 0;
  unsigned long long magnitude = value < 0 ? 0ULL - static_cast<unsigned long long>(value)
                                           : static_cast<unsigned long long>(value);
  do {
    digits[n++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  char text[26];
  size_t at = 0;
  if (value < 0) text[at++] = '-';
  while (n > 0) text[at++] = digits[--n];
  text[at] = '\0';
  AppendBounded(buffer, size, text);
}

int Fail(ChildReport* report, int errno_value, const char* const* parts, size_t part_count,
         const char* hint) {
  report->errno_value = errno_value;
  report->text[0] = '\0';
  report->hint[0] = '\0';
  bool first = true;
  for (size_t i = 0; i < part_count; ++i) {
    if (parts[i] == nullptr || parts[i][0] == '\0') continue;
    if (!first) AppendBounded(report->text, sizeof report->text, " ");
    AppendBounded(report->text, sizeof report->text, parts[i]);
    first = false;
  }
  AppendBounded(report->hint, sizeof report->hint, hint);
  return -1;
}

int Fail(ChildReport* report, int errno_value, const char* step, const char* hint) {
  const char* parts[] = {step};
  return Fail(report, errno_value, parts, 1, hint);
}

int Fail(ChildReport* report, int errno_value, const char* step, const char* path,
         const char* hint) {
  const char* parts[] = {step, path};
  return Fail(report, errno_value, parts, 2, hint);
}

Error ReportToError(const ChildReport& report) {
  std::string text(report.text, strnlen(report.text, sizeof report.text));
  std::string hint(report.hint, strnlen(report.hint, sizeof report.hint));
  if (hint.empty()) return Error{report.errno_value, text};
  if (report.errno_value != 0) text += std::string(": ") + strerror(report.errno_value);
  return PlainError(text + ". " + hint);
}

}  // namespace uxc::launcher

#include "launcher/child_report.h"

#include <cstring>
#include <string>

namespace uxc::launcher {

int Fail(ChildReport* report, int errno_value, const char* const* parts, size_t part_count,
         const char* hint) {
  report->errno_value = errno_value;
  report->text[0] = '\0';
  report->hint[0] = '\0';
  bool first = true;
  for (size_t i = 0; i < part_count; ++i) {
    if (parts[i] == nullptr || parts[i][0] == '\0') continue;
    if (!first) AppendText(report->text, sizeof report->text, " ");
    AppendText(report->text, sizeof report->text, parts[i]);
    first = false;
  }
  AppendText(report->hint, sizeof report->hint, hint);
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

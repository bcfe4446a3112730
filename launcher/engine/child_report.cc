#include "launcher/engine/child_report.h"

#include <cstring>
#include <string>

namespace uxc::launcher {

int Fail(ChildReport* report, int errno_value, const char* const* parts, size_t part_count,
         const char* hint) {
  report->errno_value = errno_value;
  ClearText(report->text, sizeof report->text);
  ClearText(report->hint, sizeof report->hint);
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
  Error error = ErrnoError(report.errno_value, std::string(report.text, strnlen(report.text, sizeof report.text)));
  error.hint = std::string(report.hint, strnlen(report.hint, sizeof report.hint));
  return error;
}

}  // namespace uxc::launcher

// Bounded string building for code that runs between clone and exec, where
// nothing may allocate: the text goes into a caller's fixed buffer and is cut
// short rather than grown. The one copy for the child's reports
// (launcher/engine/child_report.h) and the security steps.
#pragma once

#include <cstddef>

namespace uxc {

// Empties `buffer` (size bytes, size > 0).
void ClearText(char* buffer, size_t size);
// Appends `text` to the NUL-terminated `buffer`, truncating.
void AppendText(char* buffer, size_t size, const char* text);
// Appends the decimal form of `value`.
void AppendDecimal(char* buffer, size_t size, long long value);

}  // namespace uxc

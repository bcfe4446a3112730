// The error path of code that runs in the child between clone and exec. It
// must not allocate (the child may hold a copy of a lock, and an error must
// get out even when memory is short), so a report is a fixed-size value that
// is filled with bounded copies and sent to the parent in one message.
#pragma once

#include <cstddef>
#include <cstdint>

#include "base/bounded_text.h"  // AppendText, AppendDecimal: to build a step's text
#include "base/error.h"

namespace uxc::launcher {

struct ChildReport {
  static constexpr size_t kTextSize = 480;
  int32_t errno_value = 0;
  char text[kTextSize] = {};  // "mount proc on /proc"
  char hint[kTextSize] = {};  // what to do; may be empty
};

// Fills `report` with `parts` joined (nullptr entries skipped), the errno and
// an optional hint; truncates instead of allocating. Returns -1 so that child
// code can `return Fail(...)`.
int Fail(ChildReport* report, int errno_value, const char* const* parts, size_t part_count,
         const char* hint = nullptr);

// Convenience forms for the common shapes "step", "step path" and
// "step path detail".
int Fail(ChildReport* report, int errno_value, const char* step, const char* hint = nullptr);
int Fail(ChildReport* report, int errno_value, const char* step, const char* path,
         const char* hint);

// The report as an Error: its text, errno and hint.
Error ReportToError(const ChildReport& report);

}  // namespace uxc::launcher

// The start of every uxc setuid-root helper (uxc-newuidmap, uxc-newgidmap,
// uxc-user-nic): sanitize what the caller handed over, then run as the caller
// with only the capabilities the privileged step needs. docs/idmap.md explains
// each step.
#pragma once

#include <sys/capability.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.h"

namespace uxc::helpers {

// Who ran the helper: the real ids, which the setuid bit leaves untouched.
struct Caller {
  uid_t uid = 0;
  gid_t gid = 0;
};

// First thing in main(), before any argument is looked at:
//  - fds 0, 1 and 2 are open (on /dev/null when the caller closed them), so no
//    file the helper opens can land on them;
//  - every other inherited fd is closed, except `keep_fds` (marked close-on-exec);
//  - the environment is replaced by PATH=/usr/sbin:/usr/bin:/sbin:/bin;
//  - the helper must be running setuid root (effective uid 0), else it exits 1
//    with a message that says how to install it;
//  - the process is not dumpable, so the caller cannot ptrace it;
//  - the soft open-file limit allows kFdsNeeded files, raised within the
//    caller's hard limit when lower; a hard limit below it is an error that
//    says how to raise it.
// On failure it writes "PROGRAM: why" to stderr and exits 1.
Caller StartSetuid(const char* program, const std::vector<int>& keep_fds);

// How many open files a helper needs at once, with room to spare.
inline constexpr unsigned kFdsNeeded = 32;

// What to say when an open fails with EMFILE or ENFILE (`open_errno`).
std::string OpenFileLimitHint(int open_errno);

// Sets real, effective, saved and filesystem uid to the caller's (no way back
// to root), keeps `capabilities` permitted but not effective, drops all others,
// and sets no_new_privs.
Status DropToCaller(const Caller& caller, const std::vector<cap_value_t>& capabilities);

// Removes `capabilities` from the permitted set for good.
Status DropPermitted(const std::vector<cap_value_t>& capabilities);

// Raises those of `wanted` that are permitted into the effective set while
// alive; the privileged syscall happens inside its scope. Lower() or the
// destructor empties the effective set again.
class RaisedCapabilities {
 public:
  static Result<RaisedCapabilities> Raise(const std::vector<cap_value_t>& wanted);
  RaisedCapabilities(RaisedCapabilities&& other) noexcept : raised_(other.raised_) { other.raised_ = false; }
  RaisedCapabilities(const RaisedCapabilities&) = delete;
  RaisedCapabilities& operator=(const RaisedCapabilities&) = delete;
  RaisedCapabilities& operator=(RaisedCapabilities&&) = delete;
  ~RaisedCapabilities();
  Status Lower();

 private:
  RaisedCapabilities() = default;
  bool raised_ = false;
};

// Writes "PROGRAM: message\n" (and "PROGRAM: hint\n") to stderr in one
// write() and exits with `code`.
[[noreturn]] void Exit(const char* program, const Error& error, int code = 1);
[[noreturn]] void Exit(const char* program, const std::string& message, int code = 1);

}  // namespace uxc::helpers

// Fuzzes the seccomp profile parser and checks the invariants of what it
// accepts: every rule has a line, at most 6 comparisons on arguments 0..5,
// errno values the kernel can return.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/seccomp_profile.h"

namespace {

void CheckAction(const uxc::config::SeccompAction& action) {
  if (action.kind == uxc::config::SeccompAction::Kind::kErrno &&
      (action.errno_value < 0 || action.errno_value > 4095)) {
    __builtin_trap();
  }
  if (action.ToString().empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto profile = uxc::config::ParseSeccompProfile(text, "fuzz.seccomp");
  if (!profile.ok()) {
    if (profile.error().message.rfind("fuzz.seccomp", 0) != 0) __builtin_trap();
    return 0;
  }
  if (profile->version != 1 && profile->version != 2) __builtin_trap();
  CheckAction(profile->default_action);
  for (const auto& rule : profile->rules) {
    if (rule.line <= profile->policy_line) __builtin_trap();
    if (rule.args.size() > 6) __builtin_trap();
    for (const auto& arg : rule.args) {
      if (arg.index > 5) __builtin_trap();
    }
    CheckAction(rule.action);
    if (profile->version == 1 &&
        (rule.kind != uxc::config::SeccompRule::Kind::kSyscallNumber || rule.number < 0)) {
      __builtin_trap();
    }
    uxc::config::SeccompArchName(rule.arch);
  }
  return 0;
}

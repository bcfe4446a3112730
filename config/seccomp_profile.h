// LXC's seccomp profile format (lxc.container.conf(5), "Seccomp
// configuration"), parsed into a value. Pure: the only syscall is reading the
// file. launcher/engine/security/seccomp.cc resolves the names and builds the filter.
//
//   2                                  version: 1 or 2
//   denylist [ACTION]                  or allowlist (blacklist, whitelist);
//                                      ACTION is the default for unlisted calls
//   reject_force_umount                umount2(.., MNT_FORCE) gets EACCES
//   [x86_64]                           the rules below apply to this arch only
//   kexec_load errno 1                 SYSCALL [ACTION] [ARGCMP]...
//   ioctl errno 1 [1,0x5412,==]        ARGCMP = [INDEX,VALUE,OP(,MASK)]
//
// Version 1 is an allowlist of syscall numbers, one per line. Blank lines and
// lines or line ends starting with '#' are comments.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace uxc::config {

struct SeccompAction {
  enum class Kind { kKill, kErrno, kAllow, kTrap, kNotify };
  Kind kind = Kind::kKill;
  int errno_value = 0;  // kErrno only: 0..4095

  bool operator==(const SeccompAction&) const = default;
  std::string ToString() const;  // "kill", "errno 1", ...
};

// The architecture of a [section]; kAll before the first section.
enum class SeccompArch {
  kAll,
  kX86,
  kX32,
  kX86_64,
  kArm,
  kArm64,
  kPpc,
  kPpc64,
  kPpc64le,
  kMips,
  kMips64,
  kMips64n32,
  kMipsel,
  kMipsel64,
  kMipsel64n32,
  kS390,
  kS390x,
  kLoongarch64,
};
std::string_view SeccompArchName(SeccompArch arch);  // "x86_64", as in a section

enum class SeccompCompare { kNe, kLt, kLe, kEq, kGe, kGt, kMaskedEq };

// One argument comparison: argument `index` (0..5) of the syscall compared
// with `value`; for kMaskedEq, (argument & mask) == value.
struct SeccompArgCompare {
  unsigned index = 0;
  SeccompCompare op = SeccompCompare::kEq;
  uint64_t value = 0;
  uint64_t mask = 0;

  bool operator==(const SeccompArgCompare&) const = default;
};

struct SeccompRule {
  enum class Kind {
    kSyscall,            // v2: `syscall` by name
    kSyscallNumber,      // v1: `number` on the native architecture
    kRejectForceUmount,  // umount2 with MNT_FORCE → EACCES
  };
  Kind kind = Kind::kSyscall;
  std::string syscall;
  int number = -1;
  SeccompAction action;
  std::vector<SeccompArgCompare> args;  // at most 6
  SeccompArch arch = SeccompArch::kAll;
  int line = 0;  // in the profile file, for messages
};

struct SeccompProfile {
  enum class Policy { kDenylist, kAllowlist };
  int version = 2;
  Policy policy = Policy::kDenylist;
  // What an unlisted syscall gets: allow for a denylist, kill for an
  // allowlist, unless the policy line names another action.
  SeccompAction default_action;
  int policy_line = 0;  // the line of the policy, for messages
  std::vector<SeccompRule> rules;
  std::string file;  // where it came from, for messages
};

// Parses profile text; `file` names it in errors ("FILE:LINE: what is wrong").
Result<SeccompProfile> ParseSeccompProfile(std::string_view text, const std::string& file);

// Reads and parses a profile file.
Result<SeccompProfile> LoadSeccompProfile(const std::string& path);

// LXC's common.seccomp (/usr/share/lxc/config/common.seccomp), the profile a
// container gets when lxc.seccomp.profile is not set.
std::string_view DefaultSeccompProfileText();

}  // namespace uxc::config

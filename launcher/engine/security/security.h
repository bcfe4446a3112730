// The container's security settings as one plan and one act: the parent turns
// the config into a SecurityPlan before clone (names resolved, the seccomp
// filter compiled to BPF, or for a start only reviewed and compiled after the
// clone), and the child applies it right before exec with
// nothing but syscalls, so the child never allocates.
#pragma once

#include <linux/filter.h>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "config/seccomp_profile.h"
#include "launcher/engine/child_report.h"

namespace uxc::security {

struct SecurityPlan {
  // CAP_* values to remove from the bounding set, ascending. Built from
  // lxc.cap.keep (every cap not kept) or lxc.cap.drop; CAP_MKNOD is always
  // among them unless lxc.cap.keep lists it.
  std::vector<int> bounding_drop;
  // Clear the ambient and inheritable sets, so that no capability survives
  // an exec except through file capabilities under the bounding set.
  bool clear_inheritable = true;
  // lxc.no_new_privs.
  bool no_new_privs = false;
  // The seccomp filter as classic BPF (seccomp_export_bpf), ready for
  // seccomp(SECCOMP_SET_MODE_FILTER); empty when no filter is loaded.
  std::vector<sock_filter> seccomp_program;
  // With SeccompCompile::kAfterClone, instead of seccomp_program: the
  // profile, already reviewed, that the launcher compiles after the clone
  // and hands to the child (launcher/engine/start.cc).
  std::optional<config::SeccompProfile> seccomp_profile;
  // Loaded before the profile's filter, whenever uxc loads one: refuses
  // ioctl TIOCSTI and TIOCLINUX (seccomp.h, BuildTerminalIoctlFilter).
  std::vector<sock_filter> terminal_filter;
  // What the plan could not honour exactly, e.g. "notify rules return ENOSYS
  // (no lxc.seccomp.notify.proxy)"; "file:line: message", for the user.
  std::vector<std::string> warnings;
};

// Parent side, before clone: reads lxc.cap.drop, lxc.cap.keep,
// lxc.no_new_privs, lxc.seccomp.profile (LXC's common.seccomp when unset)
// and lxc.seccomp.allow_nesting. Errors name the key's file:line.
// kAfterClone leaves the compilation of the filter (about 0.08 ms) to the
// launcher, which does it while the child sets up: a start's critical path
// runs through the planning, not through what the parent does after the
// clone (bench/README.md).
enum class SeccompCompile { kNow, kAfterClone };
Result<SecurityPlan> PlanSecurity(const config::ContainerConfig& config,
                                  SeccompCompile compile = SeccompCompile::kNow);

// Launcher side, after the clone: compiles plan.seccomp_profile (the
// review gave its warnings). Empty when the plan has no profile to compile.
Result<std::vector<sock_filter>> CompileSeccompProfile(const SecurityPlan& plan);

// Child side, the last step before the identity switch and exec, while the
// process still has its capabilities in the container's user namespace (the
// bounding set can only be changed with CAP_SETPCAP, and a filter without
// no_new_privs needs CAP_SYS_ADMIN; seccomp(2)). In order: drop the bounding
// set, clear ambient and inheritable, set no_new_privs, load the terminal
// filter, then the profile's. The
// filter then also governs the caller's remaining steps (setgroups,
// setresuid, execve), as in LXC.
//
// Does not allocate. Returns 0, or -1 with `report` holding the failed step
// and its errno, e.g. "drop capability 21 from the bounding set".
int ApplySecurity(const SecurityPlan& plan, launcher::ChildReport* report);
// The same with the seccomp filter compiled after the clone (empty: none).
int ApplySecurity(const SecurityPlan& plan, std::span<const sock_filter> seccomp_program,
                  launcher::ChildReport* report);

}  // namespace uxc::security

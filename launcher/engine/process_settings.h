// Per-process settings of the container's init: lxc.prlimit.*,
// lxc.sysctl.* (namespaced ones only), lxc.proc.oom_score_adj and
// lxc.keyring.session. Planned and checked in the parent (what an
// unprivileged user cannot do fails before clone), applied in the child.
#pragma once

#include <sys/resource.h>

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "launcher/engine/child_report.h"

namespace uxc::launcher {

struct RlimitSetting {
  int resource = 0;
  rlimit limit{};
  std::string key;  // "lxc.prlimit.nofile", for messages
};

struct SysctlSetting {
  std::string path;   // under /proc/sys: "net/ipv4/ip_forward"
  std::string value;  // written as is, with a newline
  std::string key;    // "lxc.sysctl.net.ipv4.ip_forward"
};

struct ProcessSettings {
  std::vector<RlimitSetting> rlimits;
  std::vector<SysctlSetting> sysctls;
  std::optional<int> oom_score_adj;
  std::string oom_score_adj_text;  // preformatted for the child
  bool new_session_keyring = true;
  // lxc.arch: personality(2) for a 32-bit userland on a 64-bit host.
  std::optional<unsigned long> personality;
  // lxc.sched.core: the init's thread group gets its own core-scheduling
  // cookie before the exec, and its descendants inherit it.
  bool sched_core = false;
};

// lxc.arch as a personality(2) value for this machine (`host_machine` is
// uname's machine, "x86_64"): PER_LINUX32 for the 32-bit architecture of
// the host's family, PER_LINUX for the host's own; another family is an
// error, as it cannot run here.
Result<unsigned long> PersonalityFor(const std::string& arch, const std::string& host_machine);

// "1024", "1024:4096", "unlimited", "unlimited:unlimited" as one rlimit.
Result<rlimit> ParseRlimit(const std::string& value);

// Whether a sysctl (dotted name) belongs to a namespace the container owns:
// net.*, the IPC ones (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*),
// the UTS ones (kernel.hostname, kernel.domainname) and user.*.
bool IsNamespacedSysctl(const std::string& name);

// Reads the keys (lxc.prlimit.*, lxc.sysctl.*, lxc.proc.oom_score_adj,
// lxc.keyring.session, lxc.arch, lxc.sched.core) and checks them against what this process may do: a hard
// limit above the current one, or an oom_score_adj below the current one,
// needs privilege on the host and is refused here with the reason.
Result<ProcessSettings> PlanProcessSettings(const config::ContainerConfig& config);

// Child, before its id maps are written: lxc.proc.oom_score_adj, through
// the host's /proc. It is written while the child still has the user's ids
// and is dumpable; after the maps it is neither, and a non-dumpable
// process's /proc files belong to the host's root (proc(5)).
int ApplyOomScoreAdj(const ProcessSettings& settings, ChildReport* report);

// keyrings(7): a process possesses every key of its session keyring, the
// caller's, whatever its uid; a new anonymous one keeps the user's keys from
// container code. 0, or -1 with errno; a kernel without keyrings (ENOSYS)
// has none to keep.
int JoinAnonymousSessionKeyring();

// Joins one unless lxc.keyring.session = 0: in the child right after it
// becomes container root, before any hook runs.
int JoinNewSessionKeyring(const ProcessSettings& settings, ChildReport* report);

// Child, in the container's namespaces: sysctls through a private proc
// instance (no /proc mount needed), rlimits, the personality,
// the core-scheduling cookie.
int ApplyProcessSettings(const ProcessSettings& settings, ChildReport* report);

}  // namespace uxc::launcher

#include "launcher/engine/process_settings.h"

#include <fcntl.h>
#include <linux/keyctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <fstream>
#include <optional>

#include "base/unique_fd.h"
#include "launcher/engine/config_keys.h"

namespace uxc::launcher {
namespace {

struct RlimitName {
  const char* name;
  int resource;
};
constexpr RlimitName kRlimits[] = {
    {"as", RLIMIT_AS},           {"core", RLIMIT_CORE},         {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},       {"fsize", RLIMIT_FSIZE},       {"locks", RLIMIT_LOCKS},
    {"memlock", RLIMIT_MEMLOCK}, {"msgqueue", RLIMIT_MSGQUEUE}, {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE},   {"nproc", RLIMIT_NPROC},       {"rss", RLIMIT_RSS},
    {"rtprio", RLIMIT_RTPRIO},   {"rttime", RLIMIT_RTTIME},     {"sigpending", RLIMIT_SIGPENDING},
    {"stack", RLIMIT_STACK},
};

std::optional<rlim_t> ParseLimitValue(const std::string& text) {
  if (text == "unlimited") return RLIM_INFINITY;
  rlim_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value == RLIM_INFINITY)
    return std::nullopt;
  return value;
}

std::string FormatLimit(rlim_t value) {
  return value == RLIM_INFINITY ? "unlimited" : std::to_string(value);
}

Result<std::vector<RlimitSetting>> PlanRlimits(const config::ContainerConfig& config) {
  std::vector<RlimitSetting> settings;
  for (const std::string& key : config.KeysWithPrefix("lxc.prlimit.")) {
    std::string name = key.substr(strlen("lxc.prlimit."));
    const RlimitName* found = nullptr;
    for (const RlimitName& candidate : kRlimits) {
      if (name == candidate.name) found = &candidate;
    }
    if (found == nullptr) {
      return KeyError(config, key,
                      "unknown resource \"" + name +
                          "\"; known are as, core, cpu, data, fsize, locks, memlock, msgqueue, "
                          "nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack");
    }
    auto limit = ParseRlimit(config.GetOr(key, ""));
    if (!limit.ok()) return KeyError(config, key, limit.error().ToString());
    rlimit current{};
    getrlimit(found->resource, &current);
    if (current.rlim_max != RLIM_INFINITY &&
        (limit->rlim_max == RLIM_INFINITY || limit->rlim_max > current.rlim_max)) {
      return KeyError(config, key,
                      "the hard limit " + FormatLimit(limit->rlim_max) + " is above yours (" +
                          FormatLimit(current.rlim_max) +
                          "); only root on the host may raise a hard limit: lower it");
    }
    settings.push_back({found->resource, *limit, key});
  }
  return settings;
}

Result<std::vector<SysctlSetting>> PlanSysctls(const config::ContainerConfig& config) {
  std::vector<SysctlSetting> settings;
  for (const std::string& key : config.KeysWithPrefix("lxc.sysctl.")) {
    std::string name = key.substr(strlen("lxc.sysctl."));
    if (name.empty() || name.find("..") != std::string::npos ||
        name.find('/') != std::string::npos) {
      return KeyError(config, key, "not a sysctl name (e.g. lxc.sysctl.net.ipv4.ip_forward)");
    }
    if (!IsNamespacedSysctl(name)) {
      return KeyError(config, key,
                      name +
                          " is not namespaced, so a container cannot set it; set it on the "
                          "host (sysctl " +
                          name + "=...) as root");
    }
    std::string path = name;
    for (char& c : path) {
      if (c == '.') c = '/';
    }
    settings.push_back({path, config.GetOr(key, "") + "\n", key});
  }
  return settings;
}

int CurrentOomScoreAdj() {
  std::ifstream file("/proc/self/oom_score_adj");
  int value = 0;
  file >> value;
  return value;
}

// A proc instance of the container's pid namespace, never attached: its
// sys/ files act on the opener's namespaces (proc(5)), so no /proc mount is
// needed. Returns the fd or -1.
int OpenPrivateProc(ChildReport* report) {
  UniqueFd fs(fsopen("proc", FSOPEN_CLOEXEC));
  if (!fs || fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    return Fail(report, errno, "open a proc instance for lxc.sysctl");
  }
  int proc = fsmount(fs.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
  if (proc < 0) return Fail(report, errno, "mount a proc instance for lxc.sysctl");
  return proc;
}

// Writes `text` to `path` under `dir`; returns 0 or -1 (errno).
int WriteAt(int dir, const char* path, const std::string& text) {
  UniqueFd file(openat(dir, path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!file) return -1;
  ssize_t written = write(file.get(), text.data(), text.size());
  if (written == static_cast<ssize_t>(text.size())) return 0;
  if (written >= 0) errno = EIO;
  return -1;
}

int WriteProcSettings(const ProcessSettings& settings, ChildReport* report) {
  if (settings.sysctls.empty()) return 0;
  UniqueFd proc(OpenPrivateProc(report));
  if (!proc) return -1;
  for (const SysctlSetting& sysctl : settings.sysctls) {
    char path[512] = "sys/";
    AppendText(path, sizeof path, sysctl.path.c_str());
    if (WriteAt(proc.get(), path, sysctl.value) != 0) {
      return Fail(report, errno, "set", sysctl.key.c_str(),
                  errno == ENOENT   ? "this kernel has no such sysctl"
                  : errno == EINVAL ? "the kernel refused the value"
                                    : nullptr);
    }
  }
  return 0;
}

struct ArchInfo {
  const char* name;
  const char* family;
  int bits;  // 0: whatever the host's family has at the width of "linux32/64"
};
constexpr ArchInfo kArches[] = {
    {"i386", "x86", 32},      {"i486", "x86", 32},      {"i586", "x86", 32},
    {"i686", "x86", 32},      {"x86", "x86", 32},       {"athlon", "x86", 32},
    {"x86_64", "x86", 64},    {"amd64", "x86", 64},     {"arm", "arm", 32},
    {"armel", "arm", 32},     {"armhf", "arm", 32},     {"armv7l", "arm", 32},
    {"aarch64", "arm", 64},   {"arm64", "arm", 64},     {"ppc", "ppc", 32},
    {"powerpc", "ppc", 32},   {"ppc64", "ppc", 64},     {"ppc64el", "ppc", 64},
    {"ppc64le", "ppc", 64},   {"powerpc64", "ppc", 64}, {"mips", "mips", 32},
    {"mipsel", "mips", 32},   {"mips64", "mips", 64},   {"mips64el", "mips", 64},
    {"riscv64", "riscv", 64}, {"s390x", "s390", 64},
};

const ArchInfo* FindArch(const std::string& name) {
  for (const ArchInfo& arch : kArches) {
    if (name == arch.name) return &arch;
  }
  return nullptr;
}

// prctl(2) PR_SCHED_CORE: EINVAL is what a kernel built without
// CONFIG_SCHED_CORE answers, ENODEV one on a machine without SMT.
int CreateCoreSchedulingCookie(ChildReport* report) {
  constexpr unsigned long kThreadGroup = PR_SCHED_CORE_SCOPE_THREAD_GROUP;
  if (prctl(PR_SCHED_CORE, PR_SCHED_CORE_CREATE, 0, kThreadGroup, 0) == 0) return 0;
  const char* hint = "set lxc.sched.core = 0";
  if (errno == EINVAL) {
    hint = "this kernel has no core scheduling (built without CONFIG_SCHED_CORE); set lxc.sched.core = 0";
  } else if (errno == ENODEV) {
    hint = "this machine has no SMT (hyperthreads), where core scheduling does nothing; set lxc.sched.core = 0";
  }
  return Fail(report, errno, "create a core-scheduling domain (lxc.sched.core)", hint);
}

}  // namespace

Result<unsigned long> PersonalityFor(const std::string& arch, const std::string& host_machine) {
  const ArchInfo* host = FindArch(host_machine);
  if (host == nullptr)
    return PlainError("this machine (" + host_machine + ") is not one uxc knows");
  if (arch == "linux32") return static_cast<unsigned long>(PER_LINUX32);
  if (arch == "linux64") return static_cast<unsigned long>(PER_LINUX);
  const ArchInfo* wanted = FindArch(arch);
  if (wanted == nullptr || std::string(wanted->family) != host->family) {
    return PlainError("a " + host_machine + " host cannot run " + arch +
                      " programs; remove the key or set it to this machine's architecture");
  }
  return static_cast<unsigned long>(wanted->bits == 32 ? PER_LINUX32 : PER_LINUX);
}

Result<rlimit> ParseRlimit(const std::string& value) {
  size_t colon = value.find(':');
  std::string soft_text = value.substr(0, colon);
  std::string hard_text = colon == std::string::npos ? soft_text : value.substr(colon + 1);
  auto soft = ParseLimitValue(soft_text);
  auto hard = ParseLimitValue(hard_text);
  if (!soft || !hard) {
    return PlainError("expected LIMIT or SOFT:HARD, each a number or \"unlimited\"");
  }
  if (*hard != RLIM_INFINITY && (*soft == RLIM_INFINITY || *soft > *hard)) {
    return PlainError("the soft limit is above the hard limit");
  }
  return rlimit{*soft, *hard};
}

bool IsNamespacedSysctl(const std::string& name) {
  static const char* const kPrefixes[] = {"net.", "fs.mqueue.", "user."};
  static const char* const kNames[] = {
      "kernel.msgmax",   "kernel.msgmnb",    "kernel.msgmni", "kernel.sem",
      "kernel.shmall",   "kernel.shmmax",    "kernel.shmmni", "kernel.shm_rmid_forced",
      "kernel.hostname", "kernel.domainname"};
  for (const char* prefix : kPrefixes) {
    if (name.rfind(prefix, 0) == 0 && name.size() > strlen(prefix)) return true;
  }
  for (const char* known : kNames) {
    if (name == known) return true;
  }
  return false;
}

Result<ProcessSettings> PlanProcessSettings(const config::ContainerConfig& config) {
  ProcessSettings settings;
  UXC_ASSIGN_OR_RETURN(auto rlimits, PlanRlimits(config));
  settings.rlimits = std::move(rlimits);
  UXC_ASSIGN_OR_RETURN(auto sysctls, PlanSysctls(config));
  settings.sysctls = std::move(sysctls);
  if (config.Get("lxc.proc.oom_score_adj")) {
    UXC_ASSIGN_OR_RETURN(auto value, GetInteger(config, "lxc.proc.oom_score_adj", 0, -1000, 1000));
    int current = CurrentOomScoreAdj();
    if (value < current) {
      return KeyError(config, "lxc.proc.oom_score_adj",
                      "lower than yours (" + std::to_string(current) +
                          "); only root on the host may lower it: use a value of at least " +
                          std::to_string(current));
    }
    settings.oom_score_adj = static_cast<int>(value);
    settings.oom_score_adj_text = std::to_string(value) + "\n";
  }
  for (const std::string& key : config.KeysWithPrefix("lxc.proc.")) {
    if (key != "lxc.proc.oom_score_adj") {
      return KeyError(config, key, "uxc supports only lxc.proc.oom_score_adj among lxc.proc.*");
    }
  }
  if (auto arch = config.Get("lxc.arch")) {
    utsname host{};
    uname(&host);
    auto persona = PersonalityFor(*arch, host.machine);
    if (!persona.ok()) return KeyError(config, "lxc.arch", persona.error().ToString());
    settings.personality = *persona;
  }
  UXC_ASSIGN_OR_RETURN(auto keyring, GetBool(config, "lxc.keyring.session", true));
  settings.new_session_keyring = keyring;
  UXC_ASSIGN_OR_RETURN(auto sched_core, GetBool(config, "lxc.sched.core", false));
  settings.sched_core = sched_core;
  return settings;
}

int ApplyOomScoreAdj(const ProcessSettings& settings, ChildReport* report) {
  if (!settings.oom_score_adj) return 0;
  UniqueFd proc(open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!proc || WriteAt(proc.get(), "self/oom_score_adj", settings.oom_score_adj_text) != 0) {
    return Fail(report, errno, "set lxc.proc.oom_score_adj");
  }
  return 0;
}

int JoinAnonymousSessionKeyring() {
  if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, nullptr) >= 0 || errno == ENOSYS) return 0;
  return -1;
}

int JoinNewSessionKeyring(const ProcessSettings& settings, ChildReport* report) {
  if (settings.new_session_keyring && JoinAnonymousSessionKeyring() != 0) {
    return Fail(report, errno, "create a session keyring (lxc.keyring.session)",
                "set lxc.keyring.session = 0 to keep the caller's");
  }
  return 0;
}

int ApplyProcessSettings(const ProcessSettings& settings, ChildReport* report) {
  if (WriteProcSettings(settings, report) != 0) return -1;
  for (const RlimitSetting& setting : settings.rlimits) {
    if (setrlimit(setting.resource, &setting.limit) != 0) {
      return Fail(report, errno, "set", setting.key.c_str(), nullptr);
    }
  }
  if (settings.personality && personality(*settings.personality) < 0) {
    return Fail(report, errno, "set the personality (lxc.arch)");
  }
  if (settings.sched_core) return CreateCoreSchedulingCookie(report);
  return 0;
}

}  // namespace uxc::launcher

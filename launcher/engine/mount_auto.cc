#include "launcher/engine/mount_auto.h"

#include <sys/mount.h>

#include <optional>
#include <sstream>
#include <string_view>

namespace uxc::launcher {
namespace {

// Not in this build: shmounts:, a host directory shared for mounts.
constexpr std::string_view kShmountsRefused =
    "lxc.mount.auto: shmounts is not supported by uxc; share a directory with an lxc.mount.entry "
    "bind mount instead";

std::string ShmountsLimit(std::string_view, std::string_view value) {
  size_t at = value.find("shmounts:");
  if (at == std::string_view::npos || (at > 0 && value[at - 1] != ' ' && value[at - 1] != '\t'))
    return "";
  return "ignored: uxc does not share a host directory for mounts (shmounts:), so a start with it "
         "is refused; bind-mount a directory with lxc.mount.entry instead";
}

constexpr config::BuildLimit kMountAutoLimits[] = {{"lxc.mount.auto", {}, ShmountsLimit}};

constexpr uint64_t kProcAttributes = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;

// LXC's cgroup tokens: cgroup or cgroup-full, then :mixed, :ro or :rw,
// then :force. In a cgroup namespace the container's cgroup2 shows only its
// own subtree, so cgroup-full (the host's hierarchies read-only, the
// container's cgroup writable) shows what cgroup does; and, as LXC has it
// for cgroup2, mixed (the container's own cgroup writable, the paths above
// read-only) is rw, since nothing above it is in the mount. :force mounts
// even where the container could mount for itself: uxc always mounts.
// cgroup2[:ro] (uxc's own) is cgroup:rw (cgroup:ro).
std::optional<AutoMounts::Cgroup> CgroupToken(std::string_view token) {
  using C = AutoMounts::Cgroup;
  if (token.ends_with(":force")) token.remove_suffix(6);
  if (token == "cgroup2") return C::kReadWrite;
  if (token == "cgroup2:ro") return C::kReadOnly;
  for (std::string_view kind : {"cgroup-full", "cgroup"}) {
    if (!token.starts_with(kind)) continue;
    std::string_view mode = token.substr(kind.size());
    if (mode.empty() || mode == ":mixed") return C::kMixed;
    if (mode == ":ro") return C::kReadOnly;
    if (mode == ":rw") return C::kReadWrite;
    return std::nullopt;
  }
  return std::nullopt;
}

Status ApplyToken(const std::string& token, AutoMounts* mounts) {
  using P = AutoMounts::Proc;
  using S = AutoMounts::Sys;
  using C = AutoMounts::Cgroup;
  if (token == "proc" || token == "proc:mixed") {
    mounts->proc = P::kMixed;
  } else if (token == "proc:rw") {
    mounts->proc = P::kReadWrite;
  } else if (token == "sys" || token == "sys:mixed") {
    mounts->sys = S::kMixed;
  } else if (token == "sys:ro") {
    mounts->sys = S::kReadOnly;
  } else if (token == "sys:rw") {
    mounts->sys = S::kReadWrite;
  } else if (std::optional<C> cgroup = CgroupToken(token)) {
    mounts->cgroup = *cgroup;
  } else if (token.rfind("shmounts:", 0) == 0) {
    return PlainError(std::string(kShmountsRefused));
  } else {
    return PlainError("lxc.mount.auto: unknown token \"" + token +
                      "\"; uxc knows proc[:mixed|:rw], sys[:ro|:rw|:mixed], "
                      "cgroup[:ro|:rw|:mixed][:force], cgroup-full[...] and cgroup2[:ro][:force]");
  }
  return OkStatus();
}

MountStep Step(MountStep::Kind kind, std::string target, const std::string& origin) {
  MountStep step;
  step.kind = kind;
  step.target = std::move(target);
  step.origin = origin;
  step.follow_symlinks = false;
  return step;
}

MountStep ReadOnlyBindOfItself(const std::string& path, const std::string& origin) {
  MountStep step = Step(MountStep::Kind::kBind, path, origin);
  step.source = path;
  step.source_in_container = true;
  step.attributes_set = MOUNT_ATTR_RDONLY | kProcAttributes;
  return step;
}

void PlanProc(const AutoMounts& mounts, const AutoMountContext& context,
              std::vector<MountStep>* steps) {
  if (mounts.proc == AutoMounts::Proc::kNone) return;
  std::string origin =
      context.origin + (mounts.proc == AutoMounts::Proc::kMixed ? " proc:mixed" : " proc:rw");
  MountStep proc = Step(MountStep::Kind::kFilesystem, "/proc", origin);
  proc.fstype = "proc";
  proc.attributes_set = kProcAttributes;
  proc.create = MountStep::Create::kDirectory;
  steps->push_back(proc);
  if (mounts.proc != AutoMounts::Proc::kMixed) return;
  steps->push_back(ReadOnlyBindOfItself("/proc/sys", origin));
  if (context.own_network && context.keeps_net_admin) {
    MountStep net = ReadOnlyBindOfItself("/proc/sys/net", origin);
    net.attributes_set = kProcAttributes;
    net.attributes_clear = MOUNT_ATTR_RDONLY;
    steps->push_back(net);
  }
  // Kernels without CONFIG_MAGIC_SYSRQ have no such file.
  MountStep sysrq = ReadOnlyBindOfItself("/proc/sysrq-trigger", origin);
  sysrq.optional = true;
  steps->push_back(sysrq);
}

void PlanSys(const AutoMounts& mounts, const AutoMountContext& context,
             std::vector<MountStep>* steps) {
  using S = AutoMounts::Sys;
  if (mounts.sys == S::kNone) return;
  const char* mode = mounts.sys == S::kMixed      ? " sys:mixed"
                     : mounts.sys == S::kReadOnly ? " sys:ro"
                                                  : " sys:rw";
  std::string origin = context.origin + mode;
  uint64_t read_only = mounts.sys == S::kReadWrite ? 0 : MOUNT_ATTR_RDONLY;
  if (!context.own_network) {
    // sysfs(5) refuses a mount from a user namespace that does not own the
    // network namespace; show the host's /sys instead.
    MountStep bind = Step(MountStep::Kind::kBind, "/sys", origin + " (host /sys: no own network)");
    bind.source = "/sys";
    bind.recursive = true;
    bind.attributes_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | read_only;
    bind.create = MountStep::Create::kDirectory;
    steps->push_back(bind);
    return;
  }
  MountStep sys = Step(MountStep::Kind::kFilesystem, "/sys", origin);
  sys.fstype = "sysfs";
  sys.attributes_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | read_only;
  sys.create = MountStep::Create::kDirectory;
  steps->push_back(sys);
  if (mounts.sys == S::kMixed) {
    MountStep net = Step(MountStep::Kind::kBind, "/sys/devices/virtual/net", origin);
    net.source = "/sys/devices/virtual/net";
    net.source_in_container = true;
    net.attributes_clear = MOUNT_ATTR_RDONLY;
    steps->push_back(net);
  }
}

}  // namespace

std::span<const config::BuildLimit> MountAutoBuildLimits() { return kMountAutoLimits; }

Result<AutoMounts> ParseAutoMounts(const std::vector<std::string>& values) {
  AutoMounts mounts;
  for (const std::string& value : values) {
    std::istringstream tokens(value);
    std::string token;
    while (tokens >> token) UXC_RETURN_IF_ERROR(ApplyToken(token, &mounts));
  }
  return mounts;
}

std::vector<MountStep> PlanProcAndSys(const AutoMounts& mounts, const AutoMountContext& context) {
  std::vector<MountStep> steps;
  PlanProc(mounts, context, &steps);
  PlanSys(mounts, context, &steps);
  return steps;
}

std::vector<MountStep> PlanCgroup(const AutoMounts& mounts, const AutoMountContext& context,
                                  std::vector<std::string>* notes) {
  using C = AutoMounts::Cgroup;
  if (mounts.cgroup == C::kNone) return {};
  const char* mode = mounts.cgroup == C::kReadOnly    ? " cgroup:ro"
                     : mounts.cgroup == C::kReadWrite ? " cgroup:rw"
                                                      : " cgroup:mixed";
  std::string origin = context.origin + mode;
  if (!context.own_cgroup_namespace) {
    notes->push_back("note: " + origin +
                     ": no cgroup file system is mounted, because the container has no cgroup "
                     "namespace (lxc.namespace.keep = cgroup) and would see the host's tree");
    return {};
  }
  // On a host with cgroup v1 (hybrid) the container still gets only the
  // unified hierarchy of its cgroup namespace: v1 hierarchies cannot be
  // mounted from a user namespace.
  MountStep cgroup = Step(MountStep::Kind::kFilesystem, "/sys/fs/cgroup", origin);
  cgroup.fstype = "cgroup2";
  cgroup.attributes_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                          (mounts.cgroup == C::kReadOnly ? MOUNT_ATTR_RDONLY : 0);
  cgroup.create = MountStep::Create::kDirectory;
  return {cgroup};
}

}  // namespace uxc::launcher

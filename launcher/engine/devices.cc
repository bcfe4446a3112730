#include "launcher/engine/devices.h"

#include <sys/mount.h>

#include "config/values.h"
#include "launcher/engine/config_keys.h"

namespace uxc::launcher {
namespace {

MountStep DevStep(MountStep::Kind kind, std::string target) {
  MountStep step;
  step.kind = kind;
  step.target = std::move(target);
  step.origin = "lxc.autodev";
  step.follow_symlinks = false;
  return step;
}

}  // namespace

const std::vector<std::string>& HostDeviceNodes() {
  static const std::vector<std::string> kNodes = {"null",   "zero",    "full",
                                                  "random", "urandom", "tty"};
  return kNodes;
}

Result<DevicesPlan> PlanDevices(const config::ContainerConfig& config, bool tty_group_mapped) {
  DevicesPlan plan;
  UXC_ASSIGN_OR_RETURN(auto enabled, GetBool(config, "lxc.autodev", true));
  plan.enabled = enabled;
  if (auto size = config.Get("lxc.autodev.tmpfs.size")) {
    auto parsed = config::ParseSize(*size);
    if (!parsed.ok()) return KeyError(config, "lxc.autodev.tmpfs.size", parsed.error().ToString());
    plan.tmpfs_size = *parsed;
  }
  UXC_ASSIGN_OR_RETURN(auto pty_max, GetInteger(config, "lxc.pty.max", 0, 0, 1 << 20));
  plan.pty_max = static_cast<int>(pty_max);
  plan.tty_group_mapped = tty_group_mapped;
  return plan;
}

std::vector<MountStep> PlanDevTmpfs(const DevicesPlan& plan) {
  if (!plan.enabled) return {};
  MountStep dev = DevStep(MountStep::Kind::kFilesystem, "/dev");
  dev.fstype = "tmpfs";
  dev.options = {{"source", "none"}, {"mode", "0755"}, {"size", std::to_string(plan.tmpfs_size)}};
  dev.attributes_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC;
  dev.create = MountStep::Create::kDirectory;
  return {dev};
}

std::vector<MountStep> PlanDevContents(const DevicesPlan& plan, int reserved_ptys) {
  std::vector<MountStep> steps;
  if (plan.enabled) {
    for (const std::string& node : HostDeviceNodes()) {
      MountStep bind = DevStep(MountStep::Kind::kBind, "/dev/" + node);
      bind.source = "/dev/" + node;
      bind.create = MountStep::Create::kFile;
      bind.attributes_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC;
      steps.push_back(bind);
    }
    const std::pair<const char*, const char*> kLinks[] = {
        {"/dev/fd", "/proc/self/fd"},
        {"/dev/stdin", "/proc/self/fd/0"},
        {"/dev/stdout", "/proc/self/fd/1"},
        {"/dev/stderr", "/proc/self/fd/2"},
    };
    for (const auto& [link, content] : kLinks) {
      MountStep symlink = DevStep(MountStep::Kind::kSymlink, link);
      symlink.source = content;
      steps.push_back(symlink);
    }
    MountStep shm = DevStep(MountStep::Kind::kDirectory, "/dev/shm");
    shm.mode = 01777;
    steps.push_back(shm);
  }
  // devpts(5): every mount from a user namespace is a new instance.
  MountStep devpts = DevStep(MountStep::Kind::kFilesystem, "/dev/pts");
  devpts.fstype = "devpts";
  devpts.options = {
      {"source", "devpts"}, {"newinstance", ""}, {"ptmxmode", "0666"}, {"mode", "0620"}};
  if (plan.tty_group_mapped) devpts.options.emplace_back("gid", "5");
  if (plan.pty_max > 0)
    devpts.options.emplace_back("max", std::to_string(plan.pty_max + reserved_ptys));
  devpts.attributes_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC;
  devpts.create = MountStep::Create::kDirectory;
  steps.push_back(devpts);

  // Without autodev the rootfs's own /dev/ptmx (a node or a symlink to
  // pts/ptmx) already reaches the new instance (devpts(5)).
  if (!plan.enabled) return steps;
  // devpts(5): /dev/ptmx may be a symlink to pts/ptmx, as bubblewrap makes
  // it; one mount fewer than a bind.
  MountStep ptmx = DevStep(MountStep::Kind::kSymlink, "/dev/ptmx");
  ptmx.source = "pts/ptmx";
  steps.push_back(ptmx);
  return steps;
}

}  // namespace uxc::launcher

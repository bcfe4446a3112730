#include "launcher/engine/start_plan.h"

#include <linux/capability.h>
#include <sched.h>

#include <algorithm>

#include "config/values.h"
#include "launcher/engine/config_keys.h"
#include "launcher/engine/environment.h"
#include "launcher/engine/mount_auto.h"
#include "launcher/engine/mount_entries.h"
#include "launcher/engine/rootfs_owner.h"
#include "launcher/engine/systemd_guest.h"

namespace uxc::launcher {
namespace {

// The maps chosen (start_plan.h), checked: the container's root sets it up.
Status CheckMaps(const config::ContainerConfig& config, const IdMapPlan& maps) {
  if (!OutsideIdOf(maps.uids, 0) || !OutsideIdOf(maps.gids, 0)) {
    return KeyError(config, "lxc.idmap",
                    "uid 0 and gid 0 must be mapped: the container's root sets it up. Add e.g. "
                    "lxc.idmap = u 0 100000 65536 and lxc.idmap = g 0 100000 65536");
  }
  return OkStatus();
}

bool Drops(const security::SecurityPlan& security, int cap) {
  return std::find(security.bounding_drop.begin(), security.bounding_drop.end(), cap) !=
         security.bounding_drop.end();
}

Status PlanMounts(const config::ContainerConfig& config, const StartRequest& request,
                  StartPlan& plan, std::vector<std::string>& notes) {
  std::vector<std::string> auto_values = config.GetList("lxc.mount.auto");
  const config::Entry* auto_entry = config.EffectiveEntry("lxc.mount.auto");
  bool auto_set = auto_entry != nullptr;
  auto mounts = ParseAutoMounts(auto_set ? auto_values : request.default_mount_auto);
  if (!mounts.ok()) return KeyError(config, "lxc.mount.auto", mounts.error().ToString());
  AutoMountContext context;
  context.own_network = plan.namespaces.has(CLONE_NEWNET);
  context.own_cgroup_namespace = plan.namespaces.has(CLONE_NEWCGROUP);
  context.keeps_net_admin = !Drops(plan.security, CAP_NET_ADMIN);
  context.origin = auto_set ? auto_entry->origin.ToString() + " lxc.mount.auto"
                            : "lxc.mount.auto (default)";

  plan.early_mounts.steps = PlanDevTmpfs(plan.devices);
  for (MountStep& step : PlanProcAndSys(*mounts, context))
    plan.early_mounts.steps.push_back(std::move(step));
  UXC_ASSIGN_OR_RETURN(plan.entry_mounts.steps, PlanMountEntries(config, plan.rootfs.path));
  plan.cgroup_mounts.steps = PlanCgroup(*mounts, context, &notes);
  int reserved_ptys = static_cast<int>(plan.console.targets.size()) + (plan.terminal.enabled ? 1 : 0);
  plan.dev_mounts.steps = PlanDevContents(plan.devices, reserved_ptys);
  return OkStatus();
}

Status PrepareHooks(const config::ContainerConfig& config, StartPlan& plan) {
  struct Slot {
    security::HookType type;
    security::PreparedHooks* hooks;
  };
  Slot slots[] = {{security::HookType::kPreMount, &plan.pre_mount_hooks},
                  {security::HookType::kMount, &plan.mount_hooks},
                  {security::HookType::kAutodev, &plan.autodev_hooks},
                  {security::HookType::kStart, &plan.start_hooks}};
  for (Slot& slot : slots) {
    UXC_ASSIGN_OR_RETURN(*slot.hooks, security::PrepareHooks(config, slot.type, plan.hook_environment));
  }
  return OkStatus();
}

}  // namespace

Result<std::optional<IdMapPlan>> MapsFromConfig(const config::ContainerConfig& config) {
  std::vector<std::string> lines = config.GetList("lxc.idmap");
  if (lines.empty()) return std::optional<IdMapPlan>();
  auto mappings = config::ParseIdMappings(lines);
  if (!mappings.ok()) return KeyError(config, "lxc.idmap", mappings.error().ToString());
  return std::optional<IdMapPlan>(PlanFromMappings(*mappings));
}

Result<StartPlan> PlanStart(const config::ContainerConfig& config, const StartRequest& request) {
  StartPlan plan;
  UXC_ASSIGN_OR_RETURN(plan.network, PlanNetwork(config, &plan.notes));
  UXC_ASSIGN_OR_RETURN(plan.namespaces, PlanNamespaces(config, plan.network.share_host));
  if (!plan.network.nics.empty() && !plan.namespaces.unshares_network()) {
    return PlainError(plan.network.nics.front().key() +
                      ": a veth goes into the container's own network namespace, but the namespace set "
                      "leaves out \"net\"; keep net in lxc.namespace.clone");
  }
  if (!plan.namespaces.has(CLONE_NEWNS)) {
    return PlainError(
        "the namespace set leaves out \"mnt\": uxc builds the container's root in "
        "its own mount namespace; keep mnt in lxc.namespace.clone");
  }
  UXC_RETURN_IF_ERROR(CheckMaps(config, request.maps));
  plan.maps = request.maps;
  if (!plan.maps.note.empty()) plan.notes.push_back(plan.maps.note);

  UXC_ASSIGN_OR_RETURN(plan.rootfs, PlanRootfs(config, request.ephemeral));
  if (!request.maps_from_config) {
    UXC_ASSIGN_OR_RETURN(auto owner, StatRootfsOwner(plan.rootfs.path));
    UXC_RETURN_IF_ERROR(CheckDefaultMapsFitRootfs(plan.rootfs.path, owner, plan.maps, request.caller));
  }
  UXC_ASSIGN_OR_RETURN(plan.devices, PlanDevices(config, OutsideIdOf(plan.maps.gids, 5).has_value()));
  UXC_ASSIGN_OR_RETURN(plan.console, PlanConsole(config, request.console_by_default));
  plan.terminal = request.terminal;
  plan.init_on_console = request.system_init && plan.console.has_console;
  if (plan.init_on_console) plan.terminal.enabled = false;
  UXC_ASSIGN_OR_RETURN(plan.security, security::PlanSecurity(config, security::SeccompCompile::kAfterClone));
  for (const std::string& warning : plan.security.warnings)
    plan.notes.push_back("warning: " + warning);
  UXC_RETURN_IF_ERROR(PlanMounts(config, request, plan, plan.notes));

  UXC_RETURN_IF_ERROR(RefuseSharedNamespaces(config));
  if (auto signal = config.Get("lxc.monitor.signal.pdeath")) {
    auto parsed = config::ParseSignal(*signal);
    if (!parsed.ok())
      return KeyError(config, "lxc.monitor.signal.pdeath", parsed.error().ToString());
    plan.parent_death_signal = *parsed;
  }
  UXC_ASSIGN_OR_RETURN(plan.log, log::PlanLog(config, request.name));
  plan.hostname = config.GetOr("lxc.uts.name", "");
  if (!plan.hostname.empty() && !plan.namespaces.has(CLONE_NEWUTS)) {
    return KeyError(config, "lxc.uts.name",
                    "setting a hostname needs a uts namespace; remove uts from lxc.namespace.keep");
  }
  UXC_ASSIGN_OR_RETURN(plan.process, PlanProcessSettings(config));

  UXC_ASSIGN_OR_RETURN(std::vector<std::string> env, PlanEnvironment(config, request.caller_env,
                                                                    plan.console.tty_count, request.stdin_is_tty));
  std::string command_key = request.system_init ? "lxc.init.cmd" : "lxc.execute.cmd";
  std::vector<std::string> fallback;
  if (request.system_init) fallback = {"/sbin/init"};
  UXC_ASSIGN_OR_RETURN(plan.payload,
                       PlanPayload(config, request.command, command_key, fallback, std::move(env), plan.maps));
  plan.payload.as_pid1 = request.system_init;
  if (request.system_init && !plan.payload.argv.empty()) {
    auto systemd = SystemdInitPath(plan.rootfs.path, plan.payload.argv[0]);
    plan.systemd_init = systemd.has_value();
    if (systemd) {
      Status init = RefuseSystemdWithoutCgroup(plan.payload.argv[0], *systemd, ProspectOfDelegatedCgroup());
      if (!init.ok()) return KeyError(config, "lxc.init.cmd", init.take_error());
    }
  }

  plan.hook_environment.name = request.name;
  plan.hook_environment.config_file = request.config_file;
  plan.hook_environment.rootfs_mount = plan.rootfs.path;
  plan.hook_environment.rootfs_path = config.GetOr("lxc.rootfs.path", "");
  UXC_RETURN_IF_ERROR(PrepareHooks(config, plan));
  return plan;
}

}  // namespace uxc::launcher

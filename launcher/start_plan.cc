#include "launcher/start_plan.h"

#include <linux/capability.h>
#include <sched.h>

#include <algorithm>

#include "config/values.h"
#include "launcher/config_keys.h"
#include "launcher/environment.h"
#include "launcher/mount_auto.h"
#include "launcher/mount_entries.h"
#include "launcher/rootfs_owner.h"
#include "launcher/systemd_guest.h"

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
  auto entries = PlanMountEntries(config, plan.rootfs.path);
  if (!entries.ok()) return entries.take_error();
  plan.entry_mounts.steps = std::move(*entries);
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
    auto prepared = security::PrepareHooks(config, slot.type, plan.hook_environment);
    if (!prepared.ok()) return prepared.take_error();
    *slot.hooks = std::move(*prepared);
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
  auto network = PlanNetwork(config);
  if (!network.ok()) return network.take_error();
  plan.network = *network;
  auto namespaces = PlanNamespaces(config, plan.network.share_host);
  if (!namespaces.ok()) return namespaces.take_error();
  plan.namespaces = *namespaces;
  if (!plan.namespaces.has(CLONE_NEWNS)) {
    return PlainError(
        "the namespace set leaves out \"mnt\": uxc builds the container's root in "
        "its own mount namespace; keep mnt in lxc.namespace.clone");
  }
  UXC_RETURN_IF_ERROR(CheckMaps(config, request.maps));
  plan.maps = request.maps;
  if (!plan.maps.note.empty()) plan.notes.push_back(plan.maps.note);

  auto rootfs = PlanRootfs(config, request.ephemeral);
  if (!rootfs.ok()) return rootfs.take_error();
  plan.rootfs = std::move(*rootfs);
  if (!request.maps_from_config) {
    auto owner = StatRootfsOwner(plan.rootfs.path);
    if (!owner.ok()) return owner.take_error();
    UXC_RETURN_IF_ERROR(CheckDefaultMapsFitRootfs(plan.rootfs.path, *owner, plan.maps, request.caller));
  }
  auto devices = PlanDevices(config, OutsideIdOf(plan.maps.gids, 5).has_value());
  if (!devices.ok()) return devices.take_error();
  plan.devices = *devices;
  auto console = PlanConsole(config, request.console_by_default);
  if (!console.ok()) return console.take_error();
  plan.console = std::move(*console);
  plan.terminal = request.terminal;
  plan.init_on_console = request.system_init && plan.console.has_console;
  if (plan.init_on_console) plan.terminal.enabled = false;
  auto security = security::PlanSecurity(config, security::SeccompCompile::kAfterClone);
  if (!security.ok()) return security.take_error();
  plan.security = std::move(*security);
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
  auto log = log::PlanLog(config, request.name);
  if (!log.ok()) return log.take_error();
  plan.log = std::move(*log);
  plan.hostname = config.GetOr("lxc.uts.name", "");
  if (!plan.hostname.empty() && !plan.namespaces.has(CLONE_NEWUTS)) {
    return KeyError(config, "lxc.uts.name",
                    "setting a hostname needs a uts namespace; remove uts from lxc.namespace.keep");
  }
  auto process = PlanProcessSettings(config);
  if (!process.ok()) return process.take_error();
  plan.process = std::move(*process);

  auto env =
      PlanEnvironment(config, request.caller_env, plan.console.tty_count, request.stdin_is_tty);
  if (!env.ok()) return env.take_error();
  auto payload = request.system_init ? PlanPayload(config, request.command, "lxc.init.cmd",
                                                   {"/sbin/init"}, std::move(*env), plan.maps)
                                     : PlanPayload(config, request.command, "lxc.execute.cmd", {},
                                                   std::move(*env), plan.maps);
  if (!payload.ok()) return payload.take_error();
  plan.payload = std::move(*payload);
  plan.payload.as_pid1 = request.system_init;
  if (request.system_init && !plan.payload.argv.empty()) {
    Status init = RefuseSystemdInit(plan.rootfs.path, plan.payload.argv[0]);
    if (!init.ok()) return KeyError(config, "lxc.init.cmd", init.error().ToString());
  }

  plan.hook_environment.name = request.name;
  plan.hook_environment.config_file = request.config_file;
  plan.hook_environment.rootfs_mount = plan.rootfs.path;
  plan.hook_environment.rootfs_path = config.GetOr("lxc.rootfs.path", "");
  UXC_RETURN_IF_ERROR(PrepareHooks(config, plan));
  return plan;
}

}  // namespace uxc::launcher

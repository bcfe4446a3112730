// Everything a start needs, computed from the config in the parent before
// clone: a value the child only reads (so the child does not allocate), and
// in which every user error has already been found, except the rare rule
// libseccomp refuses: the seccomp filter is compiled after the clone
// (security::SeccompCompile::kAfterClone, launcher/engine/start.cc).
#pragma once

#include <signal.h>

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "launcher/engine/console.h"
#include "launcher/engine/devices.h"
#include "launcher/engine/idmap.h"
#include "launcher/engine/init_process.h"
#include "launcher/engine/log.h"
#include "launcher/engine/mount_plan.h"
#include "launcher/engine/namespaces.h"
#include "launcher/engine/network.h"
#include "launcher/engine/process_settings.h"
#include "launcher/engine/rootfs.h"
#include "launcher/engine/security/hooks.h"
#include "launcher/engine/security/security.h"
#include "launcher/engine/terminal.h"

namespace uxc::launcher {

struct StartRequest {
  std::string name;         // LXC_NAME; "" for a config-less uxc run
  std::string config_file;  // LXC_CONFIG_FILE; "" when none
  // The command line given to uxc; empty: lxc.execute.cmd.
  std::vector<std::string> command;
  bool ephemeral = false;  // uxc run: the rootfs is an overlay whose writes vanish
  // uxc start: lxc.init.cmd (default /sbin/init) runs as the container's pid 1.
  bool system_init = false;
  // lxc.mount.auto when no config layer sets it.
  std::vector<std::string> default_mount_auto;
  // Whether a console is made when lxc.console.path is unset (console.h).
  bool console_by_default = true;
  std::vector<std::string> caller_env;
  bool stdin_is_tty = false;
  // The payload's pty, when the user's stdin is a terminal (terminal.h).
  TerminalPlan terminal;
  Caller caller;
  // The maps: lxc.idmap (MapsFromConfig), else from /etc/subuid and subgid.
  IdMapPlan maps;
  bool maps_from_config = false;
};

struct StartPlan {
  NamespacePlan namespaces;
  NetworkPlan network;
  IdMapPlan maps;
  RootfsPlan rootfs;
  DevicesPlan devices;
  // In this order: /dev tmpfs, proc and sys; lxc.mount.fstab and entries;
  // the cgroup mount; then, after the mount hooks, /dev's contents.
  MountPlan early_mounts;
  MountPlan entry_mounts;
  MountPlan cgroup_mounts;
  MountPlan dev_mounts;
  ConsolePlan console;
  TerminalPlan terminal;  // the payload's pty (terminal.h)
  // A system container's init has the console as its stdin, stdout and
  // stderr, as LXC's init has (console.h); the console then also stands in
  // for the payload's pty of a foreground start (terminal.h).
  bool init_on_console = false;
  // The init is systemd (systemd_guest.h): it needs a delegated cgroup, and
  // `uxc stop` halts it with SIGRTMIN+3.
  bool systemd_init = false;
  std::string hostname;               // lxc.uts.name; empty: keep the host's
  int parent_death_signal = SIGKILL;  // lxc.monitor.signal.pdeath
  ProcessSettings process;
  PayloadPlan payload;
  security::SecurityPlan security;
  security::HookEnvironment hook_environment;
  security::PreparedHooks pre_mount_hooks;
  security::PreparedHooks mount_hooks;
  security::PreparedHooks autodev_hooks;
  security::PreparedHooks start_hooks;
  // Said to the user before the start: fallbacks and skipped mounts.
  std::vector<std::string> notes;
  // lxc.log.file and lxc.log.level: where the start logs its steps.
  log::LogPlan log;
};

// lxc.idmap parsed, once per start (the start API fills StartRequest::maps
// with it, and starts the id map helper early with it); nullopt when no
// config layer sets it.
Result<std::optional<IdMapPlan>> MapsFromConfig(const config::ContainerConfig& config);

Result<StartPlan> PlanStart(const config::ContainerConfig& config, const StartRequest& request);

}  // namespace uxc::launcher

#include "launcher/lifecycle/start_api.h"

#include <unistd.h>

#include <cstdio>

#include "launcher/engine/build_limits.h"
#include "launcher/engine/environment.h"
#include "launcher/lifecycle/cgroup_concern.h"
#include "launcher/engine/helper_path.h"
#include "launcher/lifecycle/host_concerns.h"
#include "launcher/lifecycle/nic_concern.h"
#include "launcher/engine/log.h"
#include "launcher/engine/subordinate_ids.h"
#include "launcher/engine/terminal.h"
#include "launcher/systemd/user_systemd_scope.h"
#include "kernel/cgroup.h"

namespace uxc::lifecycle {
namespace {

void Say(const std::string& command, const std::string& text) {
  std::fprintf(stderr, "uxc %s: %s\n", command.c_str(), text.c_str());
}

// lxc.idmap, parsed here once, else the caller's ranges in /etc/subuid and
// /etc/subgid.
Status ChooseMaps(const config::ContainerConfig& config, launcher::StartRequest& request) {
  UXC_ASSIGN_OR_RETURN(std::optional<launcher::IdMapPlan> configured, launcher::MapsFromConfig(config));
  request.maps_from_config = configured.has_value();
  if (configured) {
    request.maps = std::move(*configured);
    return OkStatus();
  }
  UXC_ASSIGN_OR_RETURN(request.maps, launcher::DefaultIdMapFromHost(request.caller));
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<PreparedStart>> PrepareStart(StartInput input, const config::ToolSettings& settings) {
  input.load.build_limits = launcher::BuildLimits();
  UXC_ASSIGN_OR_RETURN(config::ContainerConfig config, config::LoadContainerConfig(input.load));
  for (const config::Warning& warning : config.warnings()) Say(input.command_name, "warning: " + warning.ToString());
  auto start = std::make_unique<PreparedStart>();
  launcher::StartRequest& request = input.request;
  request.caller = launcher::CurrentCaller();
  request.caller_env = launcher::CallerEnvironment();
  if (input.foreground) {
    request.stdin_is_tty = isatty(STDIN_FILENO) == 1;
    request.terminal = launcher::PlanTerminal();
  }
  UXC_RETURN_IF_ERROR(ChooseMaps(config, request));
  start->caller = request.caller;
  start->helpers = {settings.newuidmap, settings.newgidmap};
  // uxc-newidmap starts now: its exec and checks overlap the planning and
  // the clone instead of following them (bench/README.md).
  if (input.foreground) {
    start->early = launcher::EarlyIdMapHelper::Start(request.maps, request.caller, start->helpers);
    start->helpers.early = start->early.get();
  }
  // Where nothing is delegated: a scope from the user's systemd (user_systemd_scope.h).
  if (auto point = kernel::FindDelegationPoint(); !point.ok() || !point->writable)
    UXC_RETURN_IF_ERROR(launcher::EnterUserSystemdScope(request.name));
  UXC_ASSIGN_OR_RETURN(start->child, launcher::PlanStart(config, request));
  UXC_ASSIGN_OR_RETURN(start->host, launcher::PlanHost(config, start->child));
  // A limit that cannot be applied fails here, before anything exists.
  UXC_RETURN_IF_ERROR(CheckContainerCgroup(start->host.cgroup, &start->child.notes));
  start->name = request.name;
  if (!start->child.network.nics.empty()) {
    auto found = launcher::FindHelper("uxc-user-nic", settings.user_nic, "uxc.user_nic");
    if (!found.ok()) {
      return Annotate(found.take_error(), start->child.network.nics.front().key() + " = veth needs uxc-user-nic");
    }
    start->user_nic = *found;
  }
  for (const std::string& note : start->child.notes) Say(input.command_name, note);
  return start;
}

Status BeforeClone(const PreparedStart& start, AcquiredLog& record, pid_t waiting_launcher) {
  StartContext context{start.host, record, 0, &start.caller, &start.child.maps, &start.helpers, waiting_launcher};
  for (const HostConcern& concern : HostConcerns()) {
    if (concern.before_clone != nullptr) UXC_RETURN_IF_ERROR(concern.before_clone(context));
  }
  log::Debug("start", "pre-start hooks: " + std::to_string(start.host.pre_start_hooks.size()));
  return security::RunHooks(start.host.pre_start_hooks);
}

Result<launcher::StartedContainer> CloneAndConfirm(const PreparedStart& start, AcquiredLog& record,
                                                   const launcher::ForwardedSignals& signals) {
  HeldForClone& held = record.held();
  launcher::InitCgroup cgroup{held.payload ? held.payload->fd() : -1, held.placed};
  RecordedNics nics(start.host, start.child.network, record, start.user_nic, start.name);
  launcher::HelperSettings helpers = start.helpers;
  helpers.nics = &nics;
  UXC_ASSIGN_OR_RETURN(launcher::StartedContainer started,
                       launcher::StartContainer(start.child, start.caller, helpers, signals, cgroup));
  StartContext context{start.host, record, started.init.pid, &start.caller, &start.child.maps, &start.helpers};
  for (const HostConcern& concern : HostConcerns()) {
    if (concern.after_clone == nullptr) continue;
    Status confirmed = concern.after_clone(context);
    if (!confirmed.ok()) {
      launcher::DiscardInit(started.init);
      return confirmed.take_error();
    }
  }
  return started;
}

}  // namespace uxc::lifecycle

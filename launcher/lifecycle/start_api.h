// The one start API of `uxc start` (detached and -F), `uxc execute` and
// `uxc run`: prepare (load the config layers and plan, once: the child's
// part and the host's, every user error found before anything exists),
// start (the concerns' slots around the engine's StartContainer, each
// acquisition recorded: acquired_log.h), and release (release.h, from the
// record). The monitor (monitor.h) and the foreground run
// (foreground_run.h) are the two ways to wait between start and release.
#pragma once

#include <memory>
#include <string>

#include "base/error.h"
#include "config/container_config.h"
#include "config/tool_settings.h"
#include "launcher/engine/host_plan.h"
#include "launcher/engine/idmap.h"
#include "launcher/engine/start.h"
#include "launcher/engine/start_plan.h"
#include "launcher/lifecycle/acquired_log.h"

namespace uxc::lifecycle {

struct StartInput {
  config::LoadRequest load;
  // name, config_file, command, ephemeral, system_init, default_mount_auto,
  // console_by_default; PrepareStart fills in the rest.
  launcher::StartRequest request;
  std::string command_name;  // "start": the prefix of warnings and notes
  // The user's terminal is the container's (a payload pty when stdin is a
  // terminal), and uxc-newidmap starts during the planning.
  bool foreground = false;
};

struct PreparedStart {
  launcher::StartPlan child;
  launcher::HostPlan host;
  launcher::Caller caller;
  launcher::HelperSettings helpers;
  std::unique_ptr<launcher::EarlyIdMapHelper> early;  // helpers.early points here
  std::string user_nic;  // uxc-user-nic, when the plan has veth nics
  std::string name;      // the container's, for uxc-user-nic
};

// Loads the layers and plans the start; the config's warnings and the
// plan's notes go to stderr, once. The config is not kept.
Result<std::unique_ptr<PreparedStart>> PrepareStart(StartInput input, const config::ToolSettings& settings);

// The host concerns' slots before the clone: each intent recorded in
// `record` first, then acquired; the pre-start hooks. On an error, what
// `record` holds is the caller's to release (release.h).
// `waiting_launcher`: the `uxc start` that forked this monitor and waits
// for its report, which moves with it when it leaves the delegated cgroup.
Status BeforeClone(const PreparedStart& start, AcquiredLog& record, pid_t waiting_launcher = 0);
// The clone and hand-over (launcher/engine/start.h), then the slots after it; the
// init is gone again when one fails.
Result<launcher::StartedContainer> CloneAndConfirm(const PreparedStart& start, AcquiredLog& record,
                                                   const launcher::ForwardedSignals& signals);

}  // namespace uxc::lifecycle

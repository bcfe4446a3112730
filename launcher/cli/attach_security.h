// What confines a process that `uxc attach` puts into a running container,
// as lxc-attach does by default: the container's bounding set (lxc.cap.drop,
// lxc.cap.keep), its seccomp profile and lxc.no_new_privs, planned by
// launcher/engine/security from the container's config. The plan is then made no
// looser than the container's init, which a start with -s overrides may have
// confined further than the config on disk says.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string_view>

#include "base/error.h"
#include "config/container_config.h"
#include "launcher/engine/security/security.h"

namespace uxc::cli {

// The init's side of it, from the CapBnd and NoNewPrivs lines of
// /proc/PID/status (proc(5)).
struct InitConfinement {
  uint64_t bounding_set = 0;
  bool no_new_privs = false;
};

// Parses the text of a /proc/PID/status file; `origin` names it in errors.
Result<InitConfinement> ParseInitConfinement(std::string_view status, const std::string& origin);

// Adds to `plan` every capability below `cap_count` that the init's
// bounding set lacks, and no_new_privs when the init has it.
void TightenToInit(const InitConfinement& init, int cap_count, security::SecurityPlan& plan);

// The plan for an attach to the container whose init is `init_pid`.
Result<security::SecurityPlan> PlanAttachSecurity(const config::ContainerConfig& config, pid_t init_pid);

}  // namespace uxc::cli

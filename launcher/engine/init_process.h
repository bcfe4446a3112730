// The container's pid 1 for application containers (uxc execute, uxc run):
// after the set-up, the init forks the payload, forwards the signals it
// gets to it, reaps every zombie (orphans are re-parented to pid 1) and
// exits with the payload's status: its exit code, or 128 + the signal that
// killed it.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "launcher/engine/child_report.h"
#include "launcher/engine/idmap.h"

namespace uxc::launcher {

// What the payload runs as. Built in the parent; the child only reads it.
struct PayloadPlan {
  PayloadPlan() = default;
  // Move-only: the pointer arrays point into the strings (a vector move
  // keeps its elements in place; a copy would not).
  PayloadPlan(PayloadPlan&&) = default;
  PayloadPlan& operator=(PayloadPlan&&) = default;
  PayloadPlan(const PayloadPlan&) = delete;
  PayloadPlan& operator=(const PayloadPlan&) = delete;

  std::vector<std::string> argv;
  std::vector<std::string> env;
  uid_t uid = 0;              // lxc.init.uid
  gid_t gid = 0;              // lxc.init.gid
  std::vector<gid_t> groups;  // lxc.init.groups (supplementary)
  std::string cwd = "/";      // lxc.init.cwd
  // uxc start: the payload is the container's pid 1 itself (a distro's
  // init), not a child of uxc's init.
  bool as_pid1 = false;
  // NULL-terminated arrays into argv and env, made by Seal().
  std::vector<char*> argv_pointers;
  std::vector<char*> env_pointers;

  void Seal();
};

// `command` is the command line given to uxc; when empty, the words of
// `command_key` (lxc.execute.cmd or lxc.init.cmd) are used, else `fallback`.
// The ids must be mapped in the container (`maps`).
Result<PayloadPlan> PlanPayload(const config::ContainerConfig& config,
                                const std::vector<std::string>& command,
                                const std::string& command_key,
                                const std::vector<std::string>& fallback,
                                std::vector<std::string> env, const IdMapPlan& maps);

// Child side, as the last step: becomes the init described above. Never
// returns. Errors before the payload's exec go to `sync_fd` as a report;
// the payload's exec closes its copy of `sync_fd` (CLOEXEC), which tells
// the launcher that the command runs. `payload_mask` is the signal mask the
// payload starts with.
[[noreturn]] void RunInit(const PayloadPlan& payload, int sync_fd, const sigset_t& payload_mask);

// The payload's own steps after fork: identity, directory, exec. Returns
// only on failure, with `report` filled. Exposed for tests.
void ExecPayload(const PayloadPlan& payload, const sigset_t& payload_mask, ChildReport* report);

}  // namespace uxc::launcher

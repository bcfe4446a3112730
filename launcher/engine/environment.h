// The environment of the container's first process: LXC's rules. It starts
// empty; lxc.environment adds "KEY=VALUE", or "KEY" to pass the caller's
// value on; then container=uxc and container_ttys (which a systemd guest
// reads); lxc.environment.runtime likewise (LXC keeps it from hooks);
// PATH gets a default when unset, and TERM is passed on when stdin
// is a terminal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"

namespace uxc::launcher {

// `caller_env` is the caller's environment ("KEY=VALUE" strings);
// `tty_count` lxc.tty.max; `stdin_is_tty` whether TERM is passed on.
Result<std::vector<std::string>> PlanEnvironment(const config::ContainerConfig& config,
                                                 const std::vector<std::string>& caller_env,
                                                 int tty_count, bool stdin_is_tty);

// The value of `key` in a "KEY=VALUE" list.
// This process's environment, "NAME=VALUE" each: what a start passes on
// (lxc.environment = NAME).
std::vector<std::string> CallerEnvironment();

std::optional<std::string> FindVariable(const std::vector<std::string>& env,
                                        const std::string& key);

}  // namespace uxc::launcher

// Asks the user's own systemd, over its bus (sd-bus), for a transient
// scope unit with Delegate=yes holding one process, and waits until the
// job that starts it is done: what `systemd-run --user --scope -p
// Delegate=yes` does before it execs its command, and what liblxc does for
// an unprivileged container (lxc PR #4153). Linked into uxc-systemd-scope
// alone (libsystemd is dynamic only; docs/packaging.md).
#pragma once

#include <sys/types.h>

#include <string>

#include "base/error.h"

namespace uxc::systemd {

struct ScopeRequest {
  std::string unit;         // ScopeUnitName()
  std::string description;  // systemctl's DESCRIPTION column
  pid_t pid = -1;           // the process systemd moves into the scope
  int timeout_ms = 25000;   // for the bus connection, the call and the job
};

// Connects to the user bus (DBUS_SESSION_BUS_ADDRESS, else
// $XDG_RUNTIME_DIR/bus), calls the manager's StartTransientUnit and waits
// for its JobRemoved. The slice is systemd's default for the manager
// (app.slice in a user manager). An error says which step failed and what
// systemd answered.
Status StartDelegatedScope(const ScopeRequest& request);

}  // namespace uxc::systemd

// Under systemd, with nothing delegated to the caller's cgroup (a login
// shell sits in its logind session scope, which it must not subdivide):
// ask the user's systemd for a transient scope with Delegate=yes and move
// into it, so that the container gets a cgroup of its own without the user
// typing `systemd-run --user --scope -p Delegate=yes`. liblxc does the same
// (lxc PR #4153). The bus call lives in uxc-systemd-scope, a small internal
// program linked with libsystemd, since uxc itself is static and Debian has
// no static libsystemd (docs/packaging.md).
#pragma once

#include <string>

#include "base/error.h"

namespace uxc::launcher {

enum class UserSystemd {
  kNone,   // no systemd as PID 1 (/run/systemd/system, sd_booted(3))
  kNoBus,  // systemd, but no user bus to reach the user's manager (su, cron)
  kBus,    // DBUS_SESSION_BUS_ADDRESS, or a socket at $XDG_RUNTIME_DIR/bus
};
UserSystemd FindUserSystemd();

// The one line said when systemd runs but the user's bus is out of reach:
// why, and the systemd-run line that gives `container` a scope.
std::string NoUserBusNote(const std::string& container);

// Called where the start finds no delegated cgroup. true: this process now
// sits in a new scope `uxc-CONTAINER-<random>.scope` of the user's manager
// (in its default slice, app.slice), which systemd has delegated: look the
// delegation point up again. false: no user systemd, or it gave no scope;
// a line on stderr said why when there was one to ask. It never fails for
// systemd's reasons: a container without limits starts without a cgroup of
// its own, and one with limits fails where the limits are applied.
Result<bool> EnterUserSystemdScope(const std::string& container);

}  // namespace uxc::launcher

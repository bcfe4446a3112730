#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

// uxc start NAME [-F] [-s KEY=VALUE]...: boots the container's init.
int RunStart(const std::vector<std::string>& args);

// The internal command uxc-monitor execs when the init exits, in the
// monitor's process (lifecycle/monitor.h):
//   uxc __monitor-end -P DIR -f CONFIG NAME [-s KEY=VALUE]... --target stop|reboot
//                     --lock-fd N [--hold-fd N]...
// It loads the config as `uxc start` did, runs the stop and post-stop hooks
// (LXC_TARGET = the target), removes the runtime files, closes the held
// connections and, for a reboot, starts the container again.
inline constexpr char kMonitorEndCommand[] = "__monitor-end";
int RunMonitorEnd(const std::vector<std::string>& args);

}  // namespace uxc::cli

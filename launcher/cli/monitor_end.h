// The internal command uxc-monitor execs when the init exits, in the
// monitor's process (lifecycle/monitor.h):
//   uxc __monitor-end -P DIR -f CONFIG [-s KEY=VALUE]... NAME --target stop|reboot
//                     --lock-fd N [--hold-fd N]... [--namespace-fd N]...
// It loads the config as `uxc start` did, runs the stop hook (LXC_TARGET =
// the target, the namespaces by reference) and the post-stop hook, removes
// the runtime files, closes the held connections and, for a reboot, starts
// the container again and execs uxc-monitor.
#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

inline constexpr char kMonitorEndCommand[] = "__monitor-end";

int RunMonitorEnd(const std::vector<std::string>& args);

}  // namespace uxc::cli

// The internal command uxc-monitor execs when the init exits, in the
// monitor's process (lifecycle/monitor.h):
//   uxc __monitor-end -P DIR -f CONFIG [-s KEY=VALUE]... [--log-file FILE
//                     --log-level LEVEL [--log-rootfs DIR]] NAME --target stop|reboot
//                     --lock-fd N [--hold-fd N]... [--namespace-fd N]...
// It records the exit, releases what the start acquired from its record
// (lifecycle/release.h: the stop hook with LXC_TARGET = the target and the
// namespaces by reference, the post-stop hook, the runtime files), never
// reading the config, closes the held connections and, for a reboot, plans
// the start again from the config and execs uxc-monitor.
#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

inline constexpr char kMonitorEndCommand[] = "__monitor-end";

int RunMonitorEnd(const std::vector<std::string>& args);

}  // namespace uxc::cli

// Which containers `uxc autostart` acts on and in what order, as
// lxc-autostart(1) does: only lxc.start.auto = 1, only the selected groups,
// started by ascending lxc.start.order and stopped in the reverse order.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"

namespace uxc::cli {

struct AutostartEntry {
  std::string name;
  bool autostart = false;
  long order = 0;           // lxc.start.order
  long delay_seconds = 0;   // lxc.start.delay: the wait after starting it
  std::vector<std::string> groups;  // lxc.group, comma lists split
};

struct AutostartFilter {
  // -a: every group. Otherwise the -g values (each a comma list, where an
  // empty item names the containers without a group); none given means
  // only the containers without a group.
  bool all = false;
  std::vector<std::string> group_args;
};

enum class AutostartAction { kStart, kStop };

// The autostart facts of container `name` from its loaded config.
Result<AutostartEntry> AutostartEntryOf(const std::string& name, const config::ContainerConfig& config);

// The entries to act on, in the order to act: lxc.start.auto set and in a
// selected group; ascending order (ties by name) to start, the reverse to stop.
std::vector<AutostartEntry> AutostartSequence(std::vector<AutostartEntry> entries, const AutostartFilter& filter,
                                              AutostartAction action);

}  // namespace uxc::cli

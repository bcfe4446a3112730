// The requests waiting on the control socket of a container whose init has
// rebooted, taken before the monitor starts it again: a halt or stop among
// them cancels the restart (docs/lifecycle.md, "Reboot"), as LXC's monitor
// ends a container that was asked to stop while it rebooted.
#pragma once

#include <vector>

#include "base/unique_fd.h"

namespace uxc::lifecycle {

struct PendingRequests {
  bool stop = false;  // some client asked for halt or stop
  // Every client taken, answered; held until the container is released,
  // so that each learns of the end from EOF.
  std::vector<UniqueFd> clients;
};

// Accepts what is queued on the non-blocking `listener` and reads each
// client's request, waiting at most `wait_ms` for one to arrive. Halt and
// stop get "ok"; anything else an error saying the container restarts.
PendingRequests TakePendingRequests(int listener, int wait_ms);

}  // namespace uxc::lifecycle

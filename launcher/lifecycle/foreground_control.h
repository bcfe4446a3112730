// The control socket of a container that `uxc start -F` runs in the
// foreground: the same protocol as a detached container's monitor
// (lifecycle/control_socket.h), answered by the foreground launcher, so that
// `uxc stop`, `ls`, `info`, `wait` and `console --tail` from another shell
// work as for any running container. `reboot` is refused (a foreground run
// ends with its init) and so is `console N`: the console is on the
// launcher's terminal.
#pragma once

#include <sys/types.h>

#include <string>

#include "base/unique_fd.h"
#include "launcher/engine/foreground.h"
#include "launcher/lifecycle/console_ring.h"
#include "launcher/lifecycle/control_server.h"

namespace uxc::lifecycle {

struct ForegroundSignals {
  int halt = 0;  // lxc.signal.halt
  int stop = 0;  // lxc.signal.stop
};

class ForegroundControl final : public launcher::ForegroundService, private ControlResponder {
 public:
  // Answers on `listener` for the init behind `pidfd`; `ring` is the
  // console's last output, replayed to `tail`.
  ForegroundControl(UniqueFd listener, int pidfd, pid_t init_pid, ForegroundSignals signals,
                    const ConsoleRing& ring);

  ControlServer& server() { return server_; }
  void AddPollFds(std::vector<pollfd>* fds) const override { server_.AddPollFds(fds); }
  void OnPoll(const pollfd* fds) override { server_.OnPoll(fds); }
  int PollTimeout() const override { return server_.PollTimeout(); }
  // Whether `uxc stop` asked it to halt or stop.
  bool stop_requested() const { return stop_requested_; }

 private:
  bool Answer(ControlClient& client, const std::string& request) override;
  void Dropped(ControlClient&) override {}
  size_t MaxAnswer() const override;

  ControlServer server_;
  int pidfd_;
  pid_t init_pid_;
  ForegroundSignals signals_;
  const ConsoleRing& ring_;
  bool stop_requested_ = false;
};

}  // namespace uxc::lifecycle

// What the monitor does while the container runs (the small uxc-monitor
// binary runs it): it holds the init's pidfd and the ptys' multiplexer
// sides, copies the console into the ring buffer (lxc.console.buffer.size)
// and the log (lxc.console.logfile) while no `uxc console` holds it, and
// answers the control socket (control_socket.h) until the init exits.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <cstddef>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "launcher/lifecycle/console_log.h"
#include "launcher/lifecycle/console_ring.h"
#include "launcher/lifecycle/control_client.h"
#include "launcher/lifecycle/control_server.h"
#include "launcher/lifecycle/monitor_args.h"

namespace uxc::lifecycle {

struct MonitorHandles {
  pid_t init_pid = 0;
  UniqueFd init_pidfd;
  // The multiplexer sides: /dev/console first when has_console, then the ttys.
  std::vector<UniqueFd> ptys;
  bool has_console = false;
  UniqueFd console_peer;
  UniqueFd listener;
  ConsoleLog console_log;  // may be closed
  size_t ring_size = 0;
  int halt_signal = SIGPWR;
  int reboot_signal = SIGINT;
  int stop_signal = SIGKILL;
  // How long a client may owe a request or the reading of an answer.
  int64_t client_timeout_ms = 5000;
  // `uxc start`'s report pipe: "ok\n" once the init has run for
  // `settle_ms`, "exited\n" when it exited before (the start failed).
  UniqueFd report;
  int64_t settle_ms = 0;
};


class MonitorLoop final : private ControlResponder {
 public:
  explicit MonitorLoop(MonitorHandles handles);

  // Serves until the init exits; returns its waitid() result.
  siginfo_t Serve();

  // After Serve: the listener and the clients' connections. Whoever takes
  // them holds them until the container is released: a client learns of the
  // end from EOF, and a probe still connects meanwhile.
  std::vector<UniqueFd> TakeConnections();

  // Whether the last of halt, stop and reboot asked for was halt or stop:
  // the init's end is then a stop, even when a reboot already under way
  // ends it (docs/lifecycle.md, "Reboot").
  bool stop_requested() const { return stop_requested_; }

  // The console's last bytes (the ring), oldest first.
  std::string ConsoleTail() const;

 private:
  siginfo_t Reap();
  void DrainConsole();
  int PollTimeout() const;
  bool Answer(ControlClient& client, const std::string& request) override;
  void Dropped(ControlClient& client) override;
  size_t MaxAnswer() const override;
  bool LendConsole(ControlClient& client, const std::string& number);
  void ReportStart(const char* outcome);

  MonitorHandles handles_;
  ControlServer server_;
  std::vector<bool> lent_;
  ConsoleRing ring_;
  bool stop_requested_ = false;
  int64_t settled_at_ms_ = 0;  // when to report the start a success
};

}  // namespace uxc::lifecycle

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
};

class MonitorLoop {
 public:
  explicit MonitorLoop(MonitorHandles handles);

  // Serves until the init exits; returns its waitid() result.
  siginfo_t Serve();

  // After Serve: the listener and the clients' connections. Whoever takes
  // them holds them until the container is released: a client learns of the
  // end from EOF, and a probe still connects meanwhile.
  std::vector<UniqueFd> TakeConnections();

 private:
  siginfo_t Reap();
  void DrainConsole();
  void Accept();
  void Admit(UniqueFd fd);
  void Drop(size_t index);
  void DropExpired();
  int PollTimeout() const;
  // False when the client is to be dropped.
  bool ServeClient(ControlClient& client, short revents);
  bool SendSignal(ControlClient& client, int signal);
  bool Answer(ControlClient& client, const std::string& request);
  bool LendConsole(ControlClient& client, const std::string& number);

  MonitorHandles handles_;
  std::vector<ControlClient> clients_;
  std::vector<bool> lent_;
  ConsoleRing ring_;
};

}  // namespace uxc::lifecycle

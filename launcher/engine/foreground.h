// The launcher's side while a container runs in the foreground (uxc run,
// execute, usernsexec): forward signals to the container's first process,
// copy console output, and return its exit status.
#pragma once

#include <poll.h>
#include <signal.h>

#include <functional>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "launcher/engine/terminal_relay.h"

namespace uxc::launcher {

// Signals the launcher forwards. Block them (ForwardedSignals::Block) before
// clone so that none is lost between clone and the wait; the child restores
// the previous mask before it execs.
class ForwardedSignals {
 public:
  // Blocks SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH and
  // SIGCONT in the calling thread and remembers the previous mask.
  static ForwardedSignals Block();
  const sigset_t& set() const { return set_; }
  const sigset_t& previous_mask() const { return previous_; }
  // Restores the previous mask (in the parent after the wait).
  void Restore() const;

 private:
  sigset_t set_;
  sigset_t previous_;
};

// The console of a foreground container: its multiplexer side, copied to
// stdout, and the peer the launcher holds open (console.h).
struct ForegroundConsole {
  int multiplexer = -1;  // -1: no console, or the relay below has it
  UniqueFd peer;
  // Gets a copy of what the console printed (for the console log and the
  // record of the exit, lifecycle/foreground_run.h), when set.
  std::function<void(std::string_view)> keep;
  // The payload's pty when the user's stdin is a terminal (terminal.h).
  TerminalRelay terminal;
  // The process runs in a session of its own (terminal.h): the signals the
  // user's terminal sends reach uxc alone and are forwarded. Otherwise (uxc
  // usernsexec) they reached the process too and are not sent twice.
  bool own_session = false;

  // What the console printed: to `keep`.
  void Keep(std::string_view bytes);
};

// What else the wait serves while the process runs: the control socket of
// `uxc start -F` (lifecycle/foreground_control.h).
class ForegroundService {
 public:
  virtual ~ForegroundService() = default;
  // Appends what to poll.
  virtual void AddPollFds(std::vector<pollfd>* fds) const = 0;
  // After poll, with the entries AddPollFds appended.
  virtual void OnPoll(const pollfd* fds) = 0;
  // Until the service's next deadline, in ms; -1: none.
  virtual int PollTimeout() const = 0;
};

// Waits for the process behind `pidfd` to exit. Meanwhile forwards the
// blocked signals to it; those the user's terminal sent to its whole
// foreground process group (si_code SI_KERNEL) only when the process runs
// in a session of its own. With a terminal relay, SIGWINCH resizes the
// payload's pty instead.
// Copies what the console outputs to stdout, to the last byte: after the
// exit it closes the peer and reads until the pty reports EIO; the same for
// the relay's pty. Serves `service`, when given, meanwhile. Returns how
// the process ended (waitid).
Result<siginfo_t> WaitInForeground(int pidfd, const ForwardedSignals& signals, ForegroundConsole* console = nullptr,
                                   ForegroundService* service = nullptr);

// The same status from a waitid() result.
int ShellStatus(const siginfo_t& info);

}  // namespace uxc::launcher

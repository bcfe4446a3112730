#include "launcher/engine/foreground.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

#include "base/unique_fd.h"

namespace uxc::launcher {
namespace {

constexpr int kForwarded[] = {SIGHUP,  SIGINT,  SIGQUIT,  SIGTERM,
                              SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};

int SendSignal(int pidfd, int signal) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

// A safety limit for reading the console after the exit: EIO normally comes
// at once, but a process outside the container could hold the peer too.
constexpr int kConsoleDrainMilliseconds = 1000;

enum class Copied { kSome, kNothingNow, kClosed };

// Copies what is readable on the non-blocking `from` to stdout, and to
// the console's keeper.
Copied CopyToStdout(int from, ForegroundConsole& console) {
  char buffer[4096];
  ssize_t n = read(from, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return Copied::kNothingNow;
  if (n <= 0) return Copied::kClosed;  // a pty reads EIO once its other end closed
  console.Keep(std::string_view(buffer, n));
  for (ssize_t done = 0; done < n;) {
    ssize_t written = write(STDOUT_FILENO, buffer + done, n - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return Copied::kClosed;
    done += written;
  }
  return Copied::kSome;
}

// Forwards what the signalfd holds; a resize of the user's terminal goes to
// the payload's pty instead.
void ForwardSignals(int signal_fd, int pidfd, ForegroundConsole& console) {
  TerminalRelay& terminal = console.terminal;
  signalfd_siginfo info;
  while (read(signal_fd, &info, sizeof info) == sizeof info) {
    int signal = static_cast<int>(info.ssi_signo);
    if (info.ssi_code == SI_KERNEL && !console.own_session) continue;  // the terminal told everyone
    if (signal == SIGWINCH && terminal.active()) {
      terminal.Resize();
      continue;
    }
    SendSignal(pidfd, signal);
  }
}

}  // namespace

ForwardedSignals ForwardedSignals::Block() {
  ForwardedSignals signals;
  sigemptyset(&signals.set_);
  for (int signal : kForwarded) sigaddset(&signals.set_, signal);
  sigprocmask(SIG_BLOCK, &signals.set_, &signals.previous_);
  return signals;
}

void ForwardedSignals::Restore() const { sigprocmask(SIG_SETMASK, &previous_, nullptr); }

int ShellStatus(const siginfo_t& info) {
  if (info.si_code == CLD_EXITED) return info.si_status;
  return 128 + info.si_status;
}

void ForegroundConsole::Keep(std::string_view bytes) {
  if (keep) keep(bytes);
}

Result<siginfo_t> WaitInForeground(int pidfd, const ForwardedSignals& signals, ForegroundConsole* console,
                                   ForegroundService* control) {
  ForegroundConsole none;
  ForegroundConsole& console_pty = console != nullptr ? *console : none;
  int console_fd = console_pty.multiplexer;
  if (console_fd >= 0) fcntl(console_fd, F_SETFL, fcntl(console_fd, F_GETFL) | O_NONBLOCK);
  UniqueFd signal_fd(signalfd(-1, &signals.set(), SFD_CLOEXEC | SFD_NONBLOCK));
  if (!signal_fd) return ErrnoError("create a signalfd to forward signals");
  TerminalRelay& terminal = console_pty.terminal;
  bool console_open = console_fd >= 0;
  for (;;) {
    std::vector<pollfd> fds = {{pidfd, POLLIN, 0},
                               {signal_fd.get(), POLLIN, 0},
                               {console_open ? console_fd : -1, POLLIN, 0},
                               terminal.InputPoll(),
                               terminal.PtyPoll()};
    if (control != nullptr) control->AddPollFds(&fds);
    if (poll(fds.data(), fds.size(), control != nullptr ? control->PollTimeout() : -1) < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("wait for the container");
    }
    // Signals first: a resize reaches the pty before what was typed after it.
    if (fds[1].revents & POLLIN) ForwardSignals(signal_fd.get(), pidfd, console_pty);
    if (console_open && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
      console_open = CopyToStdout(console_fd, console_pty) != Copied::kClosed;
    }
    terminal.OnInput(fds[3].revents);
    terminal.OnPty(fds[4].revents);
    if (fds[0].revents & POLLIN) break;
    if (control != nullptr) control->OnPoll(&fds[5]);
  }
  // The last lines may still be on their way through the pty layer; once
  // the launcher's peer is closed too, a read flushes them and then fails
  // with EIO.
  console_pty.peer.Reset();
  while (console_open) {
    pollfd pty{console_fd, POLLIN, 0};
    if (poll(&pty, 1, kConsoleDrainMilliseconds) <= 0) break;
    console_open = CopyToStdout(console_fd, console_pty) != Copied::kClosed;
  }
  terminal.Drain(kConsoleDrainMilliseconds);
  siginfo_t info{};
  if (waitid(static_cast<idtype_t>(P_PIDFD), pidfd, &info, WEXITED) != 0) {
    return ErrnoError("collect the container's exit status");
  }
  return info;
}

}  // namespace uxc::launcher

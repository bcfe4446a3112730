#include "launcher/foreground.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/unique_fd.h"

namespace uxc::launcher {
namespace {

constexpr int kForwarded[] = {SIGHUP,  SIGINT,  SIGQUIT,  SIGTERM,
                              SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};

int SendSignal(int pidfd, int signal) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0));
}

// How long to wait for a dead container's console to hang up.
constexpr int kConsoleDrainMilliseconds = 1000;

enum class Copied { kSome, kNothingNow, kClosed };

// Copies what is readable on the non-blocking `from` to stdout.
Copied CopyToStdout(int from) {
  char buffer[4096];
  ssize_t n = read(from, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return Copied::kNothingNow;
  if (n <= 0) return Copied::kClosed;  // a pty reads EIO once its other end closed
  for (ssize_t done = 0; done < n;) {
    ssize_t written = write(STDOUT_FILENO, buffer + done, n - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return Copied::kClosed;
    done += written;
  }
  return Copied::kSome;
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

Result<int> WaitInForeground(int pidfd, const ForwardedSignals& signals, int console_fd) {
  UniqueFd signal_fd(signalfd(-1, &signals.set(), SFD_CLOEXEC | SFD_NONBLOCK));
  if (!signal_fd) return ErrnoError("create a signalfd to forward signals");
  bool console_open = console_fd >= 0;
  for (;;) {
    pollfd fds[3] = {{pidfd, POLLIN, 0},
                     {signal_fd.get(), POLLIN, 0},
                     {console_open ? console_fd : -1, POLLIN, 0}};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return ErrnoError("wait for the container");
    }
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo info;
      while (read(signal_fd.get(), &info, sizeof info) == sizeof info) {
        if (info.ssi_code == SI_KERNEL) continue;  // the terminal told everyone
        SendSignal(pidfd, static_cast<int>(info.ssi_signo));
      }
    }
    if (console_open && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
      console_open = CopyToStdout(console_fd) != Copied::kClosed;
    }
    if (fds[0].revents & POLLIN) break;
  }
  // The pty layer hands output to the multiplexer side asynchronously, so
  // the last lines may arrive after the exit; read until the pty reports
  // its other side gone (EIO), which happens once the container's mount
  // namespace, and with it the bind-mounted peer, is released.
  while (console_open) {
    pollfd console{console_fd, POLLIN, 0};
    if (poll(&console, 1, kConsoleDrainMilliseconds) <= 0) break;
    console_open = CopyToStdout(console_fd) != Copied::kClosed;
  }
  siginfo_t info{};
  if (waitid(static_cast<idtype_t>(P_PIDFD), pidfd, &info, WEXITED) != 0) {
    return ErrnoError("collect the container's exit status");
  }
  return ShellStatus(info);
}

}  // namespace uxc::launcher

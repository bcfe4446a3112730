// The launcher's side of the payload's pty (terminal.h) while a container
// runs in the foreground: the user's terminal in raw mode (restored when
// the relay ends), what the user types copied to the pty, what the pty
// shows copied to the user's terminal, and the user's window size copied
// to the pty on SIGWINCH. The pty's own line discipline then does what a
// terminal does for the payload: echo, ^C as SIGINT to its foreground
// process group, and so on.
#pragma once

#include <poll.h>
#include <termios.h>

#include <functional>
#include <string>
#include <string_view>

#include "base/unique_fd.h"

namespace uxc::launcher {

class TerminalRelay {
 public:
  // Gets a copy of what the pty shows (the console's log and ring).
  using OutputCopy = std::function<void(std::string_view)>;

  TerminalRelay() = default;
  // Takes the pty's multiplexer side (made non-blocking) and puts the
  // user's terminal, stdin, into raw mode.
  explicit TerminalRelay(UniqueFd pty, OutputCopy copy = nullptr);
  TerminalRelay(TerminalRelay&& other) noexcept;
  TerminalRelay& operator=(TerminalRelay&& other) noexcept;
  ~TerminalRelay();  // restores the user's terminal mode

  bool active() const { return pty_.valid(); }

  // What to poll for: the user's input while the pty has taken all of it
  // so far, and the pty for output, and for room while input is pending.
  pollfd InputPoll() const;
  pollfd PtyPoll() const;

  // After poll, with the revents of each. OnPty returns false once the pty
  // is closed: every process in the container has closed it (EIO).
  void OnInput(short revents);
  bool OnPty(short revents);

  // Copies the user's window size to the pty; the kernel sends SIGWINCH to
  // the pty's foreground process group (tty_ioctl(4)).
  void Resize();

  // After the container's exit: copies what the pty still holds, until it
  // reports EIO or for at most `milliseconds`.
  void Drain(int milliseconds);

 private:
  bool CopyOutput();
  void FlushPending();
  void TakeCookedInput();

  UniqueFd pty_;
  OutputCopy copy_;
  int output_fd_ = -1;  // the user's terminal among fds 1 and 2
  bool input_open_ = true;
  std::string pending_;  // typed, not yet taken by the pty
  bool raw_ = false;
  termios saved_ = {};
};

}  // namespace uxc::launcher

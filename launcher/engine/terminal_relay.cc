#include "launcher/engine/terminal_relay.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "base/write_all.h"

namespace uxc::launcher {
namespace {

constexpr size_t kMostPending = 64 * 1024;

}  // namespace

TerminalRelay::TerminalRelay(UniqueFd pty, OutputCopy copy) : pty_(std::move(pty)), copy_(std::move(copy)) {
  fcntl(pty_.get(), F_SETFL, fcntl(pty_.get(), F_GETFL) | O_NONBLOCK);
  output_fd_ =
      isatty(STDOUT_FILENO) == 1 || isatty(STDERR_FILENO) != 1 ? STDOUT_FILENO : STDERR_FILENO;
  raw_ = tcgetattr(STDIN_FILENO, &saved_) == 0;
  if (raw_) {
    if (saved_.c_lflag & ICANON) TakeCookedInput();
    termios raw = saved_;
    cfmakeraw(&raw);
    raw_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
}

TerminalRelay::TerminalRelay(TerminalRelay&& other) noexcept
    : pty_(std::move(other.pty_)),
      copy_(std::move(other.copy_)),
      output_fd_(other.output_fd_),
      input_open_(other.input_open_),
      pending_(std::move(other.pending_)),
      raw_(std::exchange(other.raw_, false)),
      saved_(other.saved_) {}

TerminalRelay& TerminalRelay::operator=(TerminalRelay&& other) noexcept {
  if (this == &other) return *this;
  if (raw_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  pty_ = std::move(other.pty_);
  copy_ = std::move(other.copy_);
  output_fd_ = other.output_fd_;
  input_open_ = other.input_open_;
  pending_ = std::move(other.pending_);
  raw_ = std::exchange(other.raw_, false);
  saved_ = other.saved_;
  return *this;
}

TerminalRelay::~TerminalRelay() {
  // TCSANOW, not TCSAFLUSH: what the user typed ahead stays theirs.
  if (raw_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
}

pollfd TerminalRelay::InputPoll() const {
  bool wanted = active() && input_open_ && pending_.size() < kMostPending;
  return {wanted ? STDIN_FILENO : -1, POLLIN, 0};
}

pollfd TerminalRelay::PtyPoll() const {
  short events = static_cast<short>(POLLIN | (pending_.empty() ? 0 : POLLOUT));
  return {active() ? pty_.get() : -1, events, 0};
}

void TerminalRelay::OnInput(short revents) {
  if (revents == 0) return;
  char buffer[4096];
  ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    input_open_ = false;  // the user's terminal hung up
    return;
  }
  pending_.append(buffer, static_cast<size_t>(n));
  FlushPending();
}

// Whole lines the user's terminal already holds in canonical mode, taken
// before it goes raw: n_tty keeps an end of file (a typed ^D, or script(1)'s
// at the end of its input) in the buffer as a NUL byte, which a raw read
// would return as data. It goes to the pty as the pty's own EOF character.
void TerminalRelay::TakeCookedInput() {
  while (pending_.size() < kMostPending) {
    pollfd in = {STDIN_FILENO, POLLIN, 0};
    if (poll(&in, 1, 0) != 1 || (in.revents & (POLLHUP | POLLERR | POLLNVAL)) ||
        !(in.revents & POLLIN)) {
      return;
    }
    char buffer[4096];
    ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;
    if (n > 0) {
      pending_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    termios pty;
    pending_.push_back(tcgetattr(pty_.get(), &pty) == 0 ? static_cast<char>(pty.c_cc[VEOF]) : '\x04');
  }
}

void TerminalRelay::FlushPending() {
  while (!pending_.empty()) {
    ssize_t n = write(pty_.get(), pending_.data(), pending_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {
      pending_.clear();
      return;
    }
    pending_.erase(0, static_cast<size_t>(n));
  }
}

bool TerminalRelay::CopyOutput() {
  char buffer[4096];
  ssize_t n = read(pty_.get(), buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;  // EIO: no process has the pty open any more
  if (copy_) copy_(std::string_view(buffer, static_cast<size_t>(n)));
  (void)WriteAll(output_fd_, std::string_view(buffer, static_cast<size_t>(n)));
  return true;
}

bool TerminalRelay::OnPty(short revents) {
  if (!active()) return false;
  if (revents & POLLOUT) FlushPending();
  if (revents & (POLLIN | POLLHUP | POLLERR)) {
    if (!CopyOutput()) {
      pty_.Reset();
      return false;
    }
  }
  return true;
}

void TerminalRelay::Resize() {
  winsize size;
  if (active() && ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0) ioctl(pty_.get(), TIOCSWINSZ, &size);
}

void TerminalRelay::Drain(int milliseconds) {
  while (active()) {
    pollfd pty = {pty_.get(), POLLIN, 0};
    if (poll(&pty, 1, milliseconds) <= 0 || !CopyOutput()) break;
  }
  pty_.Reset();
}

}  // namespace uxc::launcher

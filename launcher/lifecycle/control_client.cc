#include "launcher/lifecycle/control_client.h"

#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "launcher/lifecycle/control_socket.h"

namespace uxc::lifecycle {
namespace {

// One sendmsg(); how many bytes went, 0 when the socket is full, -1 when the
// client is gone.
ssize_t SendSome(int fd, std::string_view text, int pass_fd) {
  ssize_t sent = SendOnce(fd, text, pass_fd, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (sent >= 0) return sent;
  return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
}

}  // namespace

int64_t MonotonicMs() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return int64_t{now.tv_sec} * 1000 + now.tv_nsec / 1000000;
}

ControlClient::ControlClient(UniqueFd fd, int64_t now_ms, int64_t timeout_ms, size_t max_queued)
    : fd_(std::move(fd)), timeout_ms_(timeout_ms), max_queued_(max_queued), owing_since_ms_(now_ms) {}

bool ControlClient::ReadAvailable(int64_t now_ms) {
  char buffer[kMaxRequest + 1];
  // Bounded, so a client that writes as fast as we read cannot hold the loop.
  for (int round = 0; round < 16; ++round) {
    ssize_t got = recv(fd_.get(), buffer, sizeof buffer, MSG_DONTWAIT);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
    if (got == 0) return false;
    // A console client only closes its connection to give the tty back.
    if (lent_tty < 0) received_.append(buffer, static_cast<size_t>(got));
    size_t newline = received_.find('\n');
    if ((newline == std::string::npos ? received_.size() : newline) > kMaxRequest) return false;
    UpdateDeadline(now_ms);
    if (newline != std::string::npos) return true;
  }
  return true;
}

std::optional<std::string> ControlClient::NextRequest(int64_t now_ms) {
  size_t newline = received_.find('\n');
  if (!queued_.empty() || newline == std::string::npos) return std::nullopt;
  std::string line = received_.substr(0, newline);
  received_.erase(0, newline + 1);
  requested_ = true;
  UpdateDeadline(now_ms);
  return line;
}

bool ControlClient::Send(std::string_view text, int64_t now_ms, int pass_fd) {
  if (queued_.size() + text.size() > max_queued_) return false;
  if (queued_.empty()) queued_fd_ = pass_fd;
  queued_.append(text);
  return Flush(now_ms);
}

bool ControlClient::Flush(int64_t now_ms) {
  while (!queued_.empty()) {
    ssize_t sent = SendSome(fd_.get(), queued_, queued_fd_);
    if (sent < 0) return false;
    if (sent == 0) break;
    queued_fd_ = -1;
    queued_.erase(0, static_cast<size_t>(sent));
  }
  UpdateDeadline(now_ms);
  return true;
}

bool ControlClient::wants_read() const { return queued_.empty() && received_.find('\n') == std::string::npos; }

std::optional<int64_t> ControlClient::deadline() const {
  if (owing_since_ms_ == 0) return std::nullopt;
  return owing_since_ms_ + timeout_ms_;
}

void ControlClient::UpdateDeadline(int64_t now_ms) {
  bool owes = !requested_ || !received_.empty() || !queued_.empty();
  if (!owes) {
    owing_since_ms_ = 0;
  } else if (owing_since_ms_ == 0) {
    owing_since_ms_ = now_ms == 0 ? 1 : now_ms;
  }
}

}  // namespace uxc::lifecycle

// One client of the monitor's control socket, as the monitor holds it: a
// non-blocking socket with a bounded request buffer, a bounded queue of
// answer bytes and a deadline, so that no client can make the monitor wait.
// A client owes the monitor something while it has not sent a whole first
// request, has sent part of a line, or has not read a queued answer; owing
// longer than the deadline gets it dropped. A client that owes nothing
// (it waits for EOF, as `uxc stop` does) may stay.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/unique_fd.h"

namespace uxc::lifecycle {

// CLOCK_MONOTONIC in milliseconds.
int64_t MonotonicMs();

class ControlClient {
 public:
  // The longest request line ("console NNNN" is 12 bytes).
  static constexpr size_t kMaxRequest = 256;

  // `fd` must be non-blocking. `max_queued` bounds the unsent answer bytes.
  ControlClient(UniqueFd fd, int64_t now_ms, int64_t timeout_ms, size_t max_queued);

  int fd() const { return fd_.get(); }
  UniqueFd TakeFd() { return std::move(fd_); }

  // Reads what the socket holds now. False when the client is gone (EOF or
  // an error) or sent a line longer than kMaxRequest.
  bool ReadAvailable(int64_t now_ms);

  // The next whole request line, without its '\n'; none while an answer is
  // still queued, so a client that does not read is not served further.
  std::optional<std::string> NextRequest(int64_t now_ms);

  // Queues `text`, with `pass_fd` (SCM_RIGHTS) on its first byte, and sends
  // what the socket takes now. False when the client is gone or the queue
  // would pass its bound.
  bool Send(std::string_view text, int64_t now_ms, int pass_fd = -1);

  // Sends more of the queue. False when the client is gone.
  bool Flush(int64_t now_ms);

  // Whether the loop should poll for reading: not while a line or an
  // answer waits, so a flooding client fills its own socket, not our memory.
  bool wants_read() const;
  bool wants_write() const { return !queued_.empty(); }

  // When it must have done what it owes; nullopt when it owes nothing.
  std::optional<int64_t> deadline() const;

  int lent_tty = -1;  // the pty whose multiplexer this client holds

 private:
  void UpdateDeadline(int64_t now_ms);

  UniqueFd fd_;
  int64_t timeout_ms_;
  size_t max_queued_;
  std::string received_;
  std::string queued_;
  int queued_fd_ = -1;  // to attach to the first queued byte
  bool requested_ = false;
  int64_t owing_since_ms_ = 0;  // 0: owes nothing
};

}  // namespace uxc::lifecycle

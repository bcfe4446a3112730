// The server side of a container's control socket (control_socket.h): the
// listener and its clients (control_client.h) in the owner's poll loop, with
// the bounds that keep any client from making the owner wait
// (docs/lifecycle.md, "Control socket"). The owner answers the requests: the
// monitor of a detached container (monitor_loop.h), or `uxc start -F` for
// the container it runs in the foreground.
#pragma once

#include <poll.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/unique_fd.h"
#include "launcher/lifecycle/console_ring.h"
#include "launcher/lifecycle/control_client.h"

namespace uxc::lifecycle {

class ControlResponder {
 public:
  // Answers one request line (client.Send); false drops the client.
  virtual bool Answer(ControlClient& client, const std::string& request) = 0;
  // The client is dropped (say, it gives back the tty it held).
  virtual void Dropped(ControlClient& client) = 0;
  // The longest answer a client may have queued at once.
  virtual size_t MaxAnswer() const = 0;

 protected:
  ~ControlResponder() = default;
};

class ControlServer {
 public:
  ControlServer(UniqueFd listener, int64_t client_timeout_ms, ControlResponder& responder);

  // Appends what to poll: the listener, then each client.
  void AddPollFds(std::vector<pollfd>* fds) const;
  // After poll, with the entries AddPollFds appended, from `fds`.
  void OnPoll(const pollfd* fds);
  // Until the nearest client deadline, in ms; -1: none.
  int PollTimeout() const;

  // The listener first, then the clients' connections. Whoever takes them
  // holds them until the container is released: a client learns of the end
  // from EOF, and a probe still connects meanwhile.
  std::vector<UniqueFd> TakeConnections();

 private:
  void Accept();
  void Admit(UniqueFd fd);
  void Drop(size_t index);
  void DropExpired();
  // False when the client is to be dropped.
  bool ServeClient(ControlClient& client, short revents);

  UniqueFd listener_;
  int64_t client_timeout_ms_;
  ControlResponder& responder_;
  std::vector<ControlClient> clients_;
};

// Answers "ok" once `signal` went to the process behind `pidfd` (halt,
// stop, reboot), else the error.
bool AnswerSignal(ControlClient& client, int pidfd, int signal);

// The answer to `tail`: "ok LEN", then the ring's LEN bytes.
std::string TailAnswer(const ConsoleRing& ring);

}  // namespace uxc::lifecycle

#include "launcher/lifecycle/pending_requests.h"

#include <poll.h>
#include <sys/socket.h>

#include <string>

#include "launcher/lifecycle/control_client.h"
#include "launcher/lifecycle/control_socket.h"

namespace uxc::lifecycle {
namespace {

// The first line the client sent within `wait_ms`; "" when none came.
std::string FirstLine(int fd, int wait_ms) {
  std::string received;
  int64_t deadline = MonotonicMs() + wait_ms;
  while (received.find('\n') == std::string::npos && received.size() <= ControlClient::kMaxRequest) {
    int64_t left = deadline - MonotonicMs();
    pollfd client = {fd, POLLIN, 0};
    if (left <= 0 || poll(&client, 1, static_cast<int>(left)) <= 0) return "";
    char buffer[ControlClient::kMaxRequest + 1];
    ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return "";
    received.append(buffer, static_cast<size_t>(n));
  }
  return received.substr(0, received.find('\n'));
}

}  // namespace

PendingRequests TakePendingRequests(int listener, int wait_ms) {
  PendingRequests pending;
  for (;;) {
    UniqueFd fd(accept4(listener, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd) return pending;
    if (!CheckPeerIsSameUser(fd.get()).ok()) continue;
    std::string request = FirstLine(fd.get(), wait_ms);
    if (request.empty()) continue;  // a probe that only connects, or a client too slow
    bool stop = request == "halt" || request == "stop";
    pending.stop = pending.stop || stop;
    std::string answer = stop ? "ok\n" : "error: the container is restarting after a reboot; try again\n";
    (void)SendOnce(fd.get(), answer, -1, MSG_NOSIGNAL | MSG_DONTWAIT);
    pending.clients.push_back(std::move(fd));
  }
}

}  // namespace uxc::lifecycle

#include "launcher/lifecycle/control_server.h"

#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "launcher/lifecycle/control_socket.h"

namespace uxc::lifecycle {
namespace {

// Every connected client, and those that owe the server something (a
// request, or the reading of an answer): past the first bound a newcomer is
// refused, past the second the longest-owing client is evicted, so silent
// connections cannot lock `uxc stop` out (docs/lifecycle.md).
constexpr size_t kMaxClients = 64;
constexpr size_t kMaxOwing = 16;
constexpr int kMaxAcceptsPerRound = 16;

}  // namespace

ControlServer::ControlServer(UniqueFd listener, int64_t client_timeout_ms, ControlResponder& responder)
    : listener_(std::move(listener)), client_timeout_ms_(client_timeout_ms), responder_(responder) {}

void ControlServer::AddPollFds(std::vector<pollfd>* fds) const {
  fds->push_back({listener_.get(), POLLIN, 0});
  for (const ControlClient& client : clients_) {
    short events = static_cast<short>((client.wants_read() ? POLLIN : 0) | (client.wants_write() ? POLLOUT : 0));
    fds->push_back({client.fd(), events, 0});
  }
}

void ControlServer::OnPoll(const pollfd* fds) {
  for (size_t i = clients_.size(); i-- > 0;) {
    if (fds[1 + i].revents != 0 && !ServeClient(clients_[i], fds[1 + i].revents)) Drop(i);
  }
  DropExpired();
  if (fds[0].revents != 0) Accept();
}

int ControlServer::PollTimeout() const {
  std::optional<int64_t> nearest;
  for (const ControlClient& client : clients_) {
    auto deadline = client.deadline();
    if (deadline && (!nearest || *deadline < *nearest)) nearest = deadline;
  }
  if (!nearest) return -1;
  int64_t wait = *nearest - MonotonicMs();
  return wait <= 0 ? 0 : static_cast<int>(std::min<int64_t>(wait, 60 * 1000));
}

std::vector<UniqueFd> ControlServer::TakeConnections() {
  std::vector<UniqueFd> connections;
  connections.push_back(std::move(listener_));
  for (ControlClient& client : clients_) connections.push_back(client.TakeFd());
  clients_.clear();
  return connections;
}

void ControlServer::Accept() {
  for (int round = 0; round < kMaxAcceptsPerRound; ++round) {
    UniqueFd fd(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd) return;
    if (CheckPeerIsSameUser(fd.get()).ok()) Admit(std::move(fd));
  }
}

void ControlServer::Admit(UniqueFd fd) {
  int64_t now = MonotonicMs();
  if (clients_.size() >= kMaxClients) {
    std::string busy = "error: the monitor already serves " + std::to_string(kMaxClients) +
                       " connections (some program holds them open): close them, or try again\n";
    ControlClient(std::move(fd), now, 0, busy.size()).Send(busy, now);
    return;
  }
  size_t owing = 0, longest = clients_.size();
  for (size_t i = 0; i < clients_.size(); ++i) {
    auto deadline = clients_[i].deadline();
    if (!deadline) continue;
    ++owing;
    if (longest == clients_.size() || *deadline < *clients_[longest].deadline()) longest = i;
  }
  if (owing >= kMaxOwing) Drop(longest);
  clients_.emplace_back(std::move(fd), now, client_timeout_ms_, responder_.MaxAnswer());
  // Its request is usually here already: serve it before anyone can crowd it out.
  if (!ServeClient(clients_.back(), POLLIN)) Drop(clients_.size() - 1);
}

void ControlServer::Drop(size_t index) {
  responder_.Dropped(clients_[index]);
  clients_.erase(clients_.begin() + static_cast<std::ptrdiff_t>(index));
}

void ControlServer::DropExpired() {
  int64_t now = MonotonicMs();
  for (size_t i = clients_.size(); i-- > 0;) {
    auto deadline = clients_[i].deadline();
    if (deadline && *deadline <= now) Drop(i);
  }
}

bool ControlServer::ServeClient(ControlClient& client, short revents) {
  int64_t now = MonotonicMs();
  if ((revents & POLLOUT) != 0 && !client.Flush(now)) return false;
  if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !client.ReadAvailable(now)) return false;
  while (auto request = client.NextRequest(now)) {
    if (!responder_.Answer(client, *request)) return false;
  }
  return true;
}

bool AnswerSignal(ControlClient& client, int pidfd, int signal) {
  int64_t now = MonotonicMs();
  if (syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) != 0) {
    return client.Send("error: " + ErrnoError("signal the init").ToString() + "\n", now);
  }
  return client.Send("ok\n", now);
}

std::string TailAnswer(const ConsoleRing& ring) {
  std::string answer = "ok " + std::to_string(ring.size()) + "\n";
  answer.append(ring.older());
  answer.append(ring.newer());
  return answer;
}

}  // namespace uxc::lifecycle

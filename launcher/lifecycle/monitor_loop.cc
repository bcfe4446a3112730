#include "launcher/lifecycle/monitor_loop.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "launcher/lifecycle/control_socket.h"

namespace uxc::lifecycle {
namespace {

// Every connected client, and those that owe the monitor something (a
// request, or the reading of an answer): past the first bound a newcomer is
// refused, past the second the longest-owing client is evicted, so silent
// connections cannot lock `uxc stop` out (docs/lifecycle.md).
constexpr size_t kMaxClients = 64;
constexpr size_t kMaxOwing = 16;
constexpr int kMaxAcceptsPerRound = 16;

std::string TtyName(int tty) { return tty == 0 ? std::string("the console") : "tty" + std::to_string(tty); }

}  // namespace

MonitorLoop::MonitorLoop(MonitorHandles handles) : handles_(std::move(handles)), ring_(handles_.ring_size) {
  lent_.assign(handles_.ptys.size(), false);
  settled_at_ms_ = MonotonicMs() + handles_.settle_ms;
  if (handles_.has_console) {
    int console = handles_.ptys[0].get();
    fcntl(console, F_SETFL, fcntl(console, F_GETFL) | O_NONBLOCK);
  }
}

siginfo_t MonitorLoop::Serve() {
  for (;;) {
    std::vector<pollfd> fds = {{handles_.init_pidfd.get(), POLLIN, 0}, {handles_.listener.get(), POLLIN, 0}};
    bool watch_console = handles_.has_console && !lent_[0];
    fds.push_back({watch_console ? handles_.ptys[0].get() : -1, POLLIN, 0});
    for (const ControlClient& client : clients_) {
      short events = static_cast<short>((client.wants_read() ? POLLIN : 0) | (client.wants_write() ? POLLOUT : 0));
      fds.push_back({client.fd(), events, 0});
    }
    if (poll(fds.data(), fds.size(), PollTimeout()) < 0) continue;
    if (fds[0].revents != 0) {
      ReportStart(kReportInitExited);
      return Reap();
    }
    if (handles_.report.valid() && MonotonicMs() >= settled_at_ms_) ReportStart(kReportRunning);
    if (fds[2].revents != 0) DrainConsole();
    for (size_t i = clients_.size(); i-- > 0;) {
      if (fds[3 + i].revents != 0 && !ServeClient(clients_[i], fds[3 + i].revents)) Drop(i);
    }
    DropExpired();
    if (fds[1].revents != 0) Accept();
  }
}

std::vector<UniqueFd> MonitorLoop::TakeConnections() {
  std::vector<UniqueFd> connections;
  connections.push_back(std::move(handles_.listener));
  for (ControlClient& client : clients_) connections.push_back(client.TakeFd());
  clients_.clear();
  return connections;
}

std::string MonitorLoop::ConsoleTail() const {
  std::string tail(ring_.older());
  tail.append(ring_.newer());
  return tail;
}

void MonitorLoop::ReportStart(const char* outcome) {
  if (!handles_.report.valid()) return;
  (void)!write(handles_.report.get(), outcome, std::strlen(outcome));
  handles_.report.Reset();
}

siginfo_t MonitorLoop::Reap() {
  siginfo_t info = {};
  while (waitid(static_cast<idtype_t>(P_PIDFD), handles_.init_pidfd.get(), &info, WEXITED) != 0 && errno == EINTR) {
  }
  if (handles_.has_console && !lent_[0]) DrainConsole();
  return info;
}

void MonitorLoop::DrainConsole() {
  char buffer[4096];
  for (;;) {
    ssize_t n = read(handles_.ptys[0].get(), buffer, sizeof buffer);
    if (n <= 0) return;
    if (handles_.console_log.is_open()) (void)handles_.console_log.Write(std::string_view(buffer, n));
    ring_.Append(std::string_view(buffer, n));
  }
}

void MonitorLoop::Accept() {
  for (int round = 0; round < kMaxAcceptsPerRound; ++round) {
    UniqueFd fd(accept4(handles_.listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    if (!fd) return;
    if (CheckPeerIsSameUser(fd.get()).ok()) Admit(std::move(fd));
  }
}

void MonitorLoop::Admit(UniqueFd fd) {
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
  // Room for the console ring and its header, the longest answer.
  size_t max_queued = ring_.older().size() + ring_.newer().size() + 4096;
  clients_.emplace_back(std::move(fd), now, handles_.client_timeout_ms, max_queued);
  // Its request is usually here already: serve it before anyone can crowd it out.
  if (!ServeClient(clients_.back(), POLLIN)) Drop(clients_.size() - 1);
}

void MonitorLoop::Drop(size_t index) {
  if (clients_[index].lent_tty >= 0) lent_[clients_[index].lent_tty] = false;
  clients_.erase(clients_.begin() + static_cast<std::ptrdiff_t>(index));
}

void MonitorLoop::DropExpired() {
  int64_t now = MonotonicMs();
  for (size_t i = clients_.size(); i-- > 0;) {
    auto deadline = clients_[i].deadline();
    if (deadline && *deadline <= now) Drop(i);
  }
}

int MonitorLoop::PollTimeout() const {
  std::optional<int64_t> nearest;
  if (handles_.report.valid()) nearest = settled_at_ms_;
  for (const ControlClient& client : clients_) {
    auto deadline = client.deadline();
    if (deadline && (!nearest || *deadline < *nearest)) nearest = deadline;
  }
  if (!nearest) return -1;
  int64_t wait = *nearest - MonotonicMs();
  return wait <= 0 ? 0 : static_cast<int>(std::min<int64_t>(wait, 60 * 1000));
}

bool MonitorLoop::ServeClient(ControlClient& client, short revents) {
  int64_t now = MonotonicMs();
  if ((revents & POLLOUT) != 0 && !client.Flush(now)) return false;
  if ((revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !client.ReadAvailable(now)) return false;
  while (auto request = client.NextRequest(now)) {
    if (!Answer(client, *request)) return false;
  }
  return true;
}

bool MonitorLoop::SendSignal(ControlClient& client, int signal) {
  int64_t now = MonotonicMs();
  if (syscall(SYS_pidfd_send_signal, handles_.init_pidfd.get(), signal, nullptr, 0) != 0) {
    return client.Send("error: " + ErrnoError("signal the init").ToString() + "\n", now);
  }
  return client.Send("ok\n", now);
}

bool MonitorLoop::Answer(ControlClient& client, const std::string& request) {
  int64_t now = MonotonicMs();
  if (request == "state") return client.Send("RUNNING\n", now);
  if (request == "pid") return client.Send(std::to_string(handles_.init_pid) + "\n", now);
  if (request == "halt" || request == "stop" || request == "reboot") {
    stop_requested_ = request != "reboot";
    if (request == "halt") return SendSignal(client, handles_.halt_signal);
    return SendSignal(client, request == "stop" ? handles_.stop_signal : handles_.reboot_signal);
  }
  if (request == "tail") return client.Send("ok " + std::to_string(ring_.size()) + "\n" + ConsoleTail(), now);
  if (request.starts_with("console ")) return LendConsole(client, request.substr(8));
  return client.Send("error: unknown request \"" + request + "\"\n", now);
}

bool MonitorLoop::LendConsole(ControlClient& client, const std::string& number) {
  int64_t now = MonotonicMs();
  int tty = std::atoi(number.c_str());
  size_t index = handles_.has_console ? tty : tty - 1;
  if (number.empty() || number.size() > 4 || number.find_first_not_of("0123456789") != std::string::npos ||
      (tty == 0 && !handles_.has_console) || index >= handles_.ptys.size()) {
    return client.Send("error: the container has no " + (tty == 0 ? std::string("console") : "tty" + number) +
                           " (see lxc.console.path and lxc.tty.max)\n",
                       now);
  }
  if (lent_[index]) {
    return client.Send("error: another `uxc console` is attached to " + TtyName(tty) + "\n", now);
  }
  lent_[index] = true;
  client.lent_tty = static_cast<int>(index);
  std::string_view older = tty == 0 ? ring_.older() : std::string_view();
  std::string_view newer = tty == 0 ? ring_.newer() : std::string_view();
  std::string answer = "ok " + std::to_string(older.size() + newer.size()) + "\n";
  answer.append(older);
  answer.append(newer);
  return client.Send(answer, now, handles_.ptys[index].get());
}

}  // namespace uxc::lifecycle

#include "launcher/lifecycle/monitor_loop.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "launcher/lifecycle/control_socket.h"

namespace uxc::lifecycle {
namespace {

constexpr size_t kMaxClients = 16;

std::string TtyName(int tty) { return tty == 0 ? std::string("the console") : "tty" + std::to_string(tty); }

}  // namespace

MonitorLoop::MonitorLoop(MonitorHandles handles) : handles_(std::move(handles)), ring_(handles_.ring_size) {
  lent_.assign(handles_.ptys.size(), false);
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
    for (const Client& client : clients_) fds.push_back({client.fd.get(), POLLIN, 0});
    if (poll(fds.data(), fds.size(), -1) < 0) continue;
    if (fds[0].revents != 0) return Reap();
    if (fds[2].revents != 0) DrainConsole();
    for (size_t i = clients_.size(); i-- > 0;) {
      if (fds[3 + i].revents != 0) ServeClient(i);
    }
    if (fds[1].revents != 0) Accept();
  }
}

std::vector<UniqueFd> MonitorLoop::TakeConnections() {
  std::vector<UniqueFd> connections;
  connections.push_back(std::move(handles_.listener));
  for (Client& client : clients_) connections.push_back(std::move(client.fd));
  clients_.clear();
  return connections;
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
  UniqueFd fd(accept4(handles_.listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!fd) return;
  if (clients_.size() >= kMaxClients || !CheckPeerIsSameUser(fd.get()).ok()) return;
  clients_.push_back({std::move(fd), -1});
}

void MonitorLoop::Drop(size_t index) {
  if (clients_[index].lent_tty >= 0) lent_[clients_[index].lent_tty] = false;
  clients_.erase(clients_.begin() + index);
}

void MonitorLoop::ServeClient(size_t index) {
  Client& client = clients_[index];
  if (client.lent_tty >= 0) {
    // A console client only closes its connection to give the tty back.
    char c;
    if (read(client.fd.get(), &c, 1) <= 0) Drop(index);
    return;
  }
  auto line = ReceiveLine(client.fd.get());
  if (!line.ok()) {
    Drop(index);
    return;
  }
  Status answered = Answer(client, *line);
  if (!answered.ok()) Drop(index);
}

Status MonitorLoop::SendSignal(Client& client, int signal) {
  if (syscall(SYS_pidfd_send_signal, handles_.init_pidfd.get(), signal, nullptr, 0) != 0) {
    return SendMessage(client.fd.get(), "error: " + ErrnoError("signal the init").ToString() + "\n");
  }
  return SendMessage(client.fd.get(), "ok\n");
}

Status MonitorLoop::Answer(Client& client, const std::string& request) {
  if (request == "state") return SendMessage(client.fd.get(), "RUNNING\n");
  if (request == "pid") return SendMessage(client.fd.get(), std::to_string(handles_.init_pid) + "\n");
  if (request == "halt") return SendSignal(client, handles_.halt_signal);
  if (request == "reboot") return SendSignal(client, handles_.reboot_signal);
  if (request == "stop") return SendSignal(client, handles_.stop_signal);
  if (request.starts_with("console ")) return LendConsole(client, request.substr(8));
  return SendMessage(client.fd.get(), "error: unknown request \"" + request + "\"\n");
}

Status MonitorLoop::LendConsole(Client& client, const std::string& number) {
  int tty = std::atoi(number.c_str());
  size_t index = handles_.has_console ? tty : tty - 1;
  if (number.empty() || number.size() > 4 || number.find_first_not_of("0123456789") != std::string::npos ||
      (tty == 0 && !handles_.has_console) || index >= handles_.ptys.size()) {
    return SendMessage(client.fd.get(), "error: the container has no " +
                                            (tty == 0 ? std::string("console") : "tty" + number) +
                                            " (see lxc.console.path and lxc.tty.max)\n");
  }
  if (lent_[index]) {
    return SendMessage(client.fd.get(), "error: another `uxc console` is attached to " + TtyName(tty) + "\n");
  }
  lent_[index] = true;
  client.lent_tty = index;
  std::string_view older = tty == 0 ? ring_.older() : std::string_view();
  std::string_view newer = tty == 0 ? ring_.newer() : std::string_view();
  UXC_RETURN_IF_ERROR(SendMessage(client.fd.get(), "ok " + std::to_string(older.size() + newer.size()) + "\n",
                                  handles_.ptys[index].get()));
  if (!older.empty()) UXC_RETURN_IF_ERROR(SendMessage(client.fd.get(), older));
  if (!newer.empty()) UXC_RETURN_IF_ERROR(SendMessage(client.fd.get(), newer));
  return OkStatus();
}

}  // namespace uxc::lifecycle

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

std::string TtyName(int tty) { return tty == 0 ? std::string("the console") : "tty" + std::to_string(tty); }

}  // namespace

MonitorLoop::MonitorLoop(MonitorHandles handles)
    : handles_(std::move(handles)),
      server_(std::move(handles_.listener), handles_.client_timeout_ms, *this),
      ring_(handles_.ring_size) {
  lent_.assign(handles_.ptys.size(), false);
  settled_at_ms_ = MonotonicMs() + handles_.settle_ms;
  if (handles_.has_console) {
    int console = handles_.ptys[0].get();
    fcntl(console, F_SETFL, fcntl(console, F_GETFL) | O_NONBLOCK);
  }
}

siginfo_t MonitorLoop::Serve() {
  for (;;) {
    std::vector<pollfd> fds = {{handles_.init_pidfd.get(), POLLIN, 0}};
    bool watch_console = handles_.has_console && !lent_[0];
    fds.push_back({watch_console ? handles_.ptys[0].get() : -1, POLLIN, 0});
    server_.AddPollFds(&fds);
    if (poll(fds.data(), fds.size(), PollTimeout()) < 0) continue;
    if (fds[0].revents != 0) {
      ReportStart(kReportInitExited);
      return Reap();
    }
    if (handles_.report.valid() && MonotonicMs() >= settled_at_ms_) ReportStart(kReportRunning);
    if (fds[1].revents != 0) DrainConsole();
    server_.OnPoll(&fds[2]);
  }
}

std::vector<UniqueFd> MonitorLoop::TakeConnections() { return server_.TakeConnections(); }

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

int MonitorLoop::PollTimeout() const {
  int timeout = server_.PollTimeout();
  if (!handles_.report.valid()) return timeout;
  int settle = static_cast<int>(std::max<int64_t>(0, settled_at_ms_ - MonotonicMs()));
  return timeout < 0 ? settle : std::min(timeout, settle);
}

void MonitorLoop::Dropped(ControlClient& client) {
  if (client.lent_tty >= 0) lent_[client.lent_tty] = false;
}

// Room for the console ring and its header, the longest answer.
size_t MonitorLoop::MaxAnswer() const { return ring_.older().size() + ring_.newer().size() + 4096; }

bool MonitorLoop::Answer(ControlClient& client, const std::string& request) {
  int64_t now = MonotonicMs();
  if (request == "state") return client.Send("RUNNING\n", now);
  if (request == "pid") return client.Send(std::to_string(handles_.init_pid) + "\n", now);
  if (request == "halt" || request == "stop" || request == "reboot") {
    stop_requested_ = request != "reboot";
    int signal = request == "halt" ? handles_.halt_signal : request == "stop" ? handles_.stop_signal
                                                                                : handles_.reboot_signal;
    return AnswerSignal(client, handles_.init_pidfd.get(), signal);
  }
  if (request == "tail") return client.Send(TailAnswer(ring_), now);
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

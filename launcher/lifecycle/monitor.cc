#include "launcher/lifecycle/monitor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <vector>

#include "config/values.h"
#include "launcher/foreground.h"
#include "launcher/lifecycle/control_socket.h"
#include "launcher/lifecycle/state.h"
#include "launcher/security/hooks.h"
#include "launcher/start.h"

namespace uxc::lifecycle {
namespace {

constexpr size_t kMaxClients = 16;
constexpr size_t kDefaultRingSize = 64 * 1024;

void AbortAt(const char* step) {
  const char* wanted = std::getenv(kAbortAtEnv);
  if (wanted != nullptr && std::string(wanted) == step) kill(getpid(), SIGKILL);
}

int SignalOr(const config::ContainerConfig& config, const char* key, int fallback) {
  auto value = config.Get(key);
  if (!value) return fallback;
  auto parsed = config::ParseSignal(*value);
  return parsed.ok() ? *parsed : fallback;
}

size_t RingSize(const config::ContainerConfig& config) {
  auto value = config.Get("lxc.console.buffer.size");
  if (!value || *value == "auto") return kDefaultRingSize;
  auto parsed = config::ParseSize(*value);
  return parsed.ok() ? static_cast<size_t>(*parsed) : kDefaultRingSize;
}

struct Client {
  UniqueFd fd;
  int lent_tty = -1;  // the tty whose multiplexer this client holds
};

class Monitor {
 public:
  Monitor(const MonitorRequest& request, launcher::StartedContainer started, UniqueFd listener)
      : request_(request), started_(std::move(started)), listener_(std::move(listener)),
        ring_capacity_(RingSize(*request.config)) {
    auto logfile = request.config->Get("lxc.console.logfile");
    if (logfile) {
      log_.Reset(open(logfile->c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
    }
    lent_.assign(started_.ptys.size(), false);
    has_console_ = request.plan->console.has_console && !started_.ptys.empty();
    if (has_console_) {
      int console = started_.ptys[0].get();
      fcntl(console, F_SETFL, fcntl(console, F_GETFL) | O_NONBLOCK);
    }
  }

  // Serves until the init exits; returns its waitid() result.
  siginfo_t Serve() {
    for (;;) {
      std::vector<pollfd> fds = {{started_.init.pidfd.get(), POLLIN, 0}, {listener_.get(), POLLIN, 0}};
      bool watch_console = has_console_ && !lent_[0];
      fds.push_back({watch_console ? started_.ptys[0].get() : -1, POLLIN, 0});
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

 private:
  siginfo_t Reap() {
    siginfo_t info = {};
    while (waitid(static_cast<idtype_t>(P_PIDFD), started_.init.pidfd.get(), &info, WEXITED) != 0 &&
           errno == EINTR) {
    }
    if (has_console_) DrainConsole();
    return info;
  }

  void DrainConsole() {
    char buffer[4096];
    for (;;) {
      ssize_t n = read(started_.ptys[0].get(), buffer, sizeof buffer);
      if (n <= 0) return;
      if (log_) (void)!write(log_.get(), buffer, n);
      ring_.append(buffer, n);
      if (ring_.size() > ring_capacity_) ring_.erase(0, ring_.size() - ring_capacity_);
    }
  }

  void Accept() {
    UniqueFd fd(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!fd) return;
    if (clients_.size() >= kMaxClients || !CheckPeerIsSameUser(fd.get()).ok()) return;
    clients_.push_back({std::move(fd), -1});
  }

  void Drop(size_t index) {
    if (clients_[index].lent_tty >= 0) lent_[clients_[index].lent_tty] = false;
    clients_.erase(clients_.begin() + index);
  }

  void ServeClient(size_t index) {
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

  Status SendSignal(Client& client, int signal) {
    if (syscall(SYS_pidfd_send_signal, started_.init.pidfd.get(), signal, nullptr, 0) != 0) {
      return SendMessage(client.fd.get(), "error: " + ErrnoError("signal the init").ToString() + "\n");
    }
    return SendMessage(client.fd.get(), "ok\n");
  }

  Status Answer(Client& client, const std::string& request) {
    const config::ContainerConfig& config = *request_.config;
    if (request == "state") return SendMessage(client.fd.get(), "RUNNING\n");
    if (request == "pid") return SendMessage(client.fd.get(), std::to_string(started_.init.pid) + "\n");
    if (request == "halt") return SendSignal(client, SignalOr(config, "lxc.signal.halt", SIGPWR));
    if (request == "reboot") return SendSignal(client, SignalOr(config, "lxc.signal.reboot", SIGINT));
    if (request == "stop") return SendSignal(client, SignalOr(config, "lxc.signal.stop", SIGKILL));
    if (request.starts_with("console ")) return LendConsole(client, request.substr(8));
    return SendMessage(client.fd.get(), "error: unknown request \"" + request + "\"\n");
  }

  Status LendConsole(Client& client, const std::string& number) {
    int tty = std::atoi(number.c_str());
    size_t index = has_console_ ? tty : tty - 1;
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos ||
        (tty == 0 && !has_console_) || index >= started_.ptys.size()) {
      return SendMessage(client.fd.get(), "error: the container has no " +
                                              (tty == 0 ? std::string("console") : "tty" + number) +
                                              " (see lxc.console.path and lxc.tty.max)\n");
    }
    if (lent_[index]) {
      return SendMessage(client.fd.get(), "error: another `uxc console` is attached to " +
                                              (tty == 0 ? std::string("the console") : "tty" + number) + "\n");
    }
    std::string replay = tty == 0 ? ring_ : "";
    lent_[index] = true;
    client.lent_tty = index;
    return SendMessage(client.fd.get(), "ok " + std::to_string(replay.size()) + "\n" + replay,
                       started_.ptys[index].get());
  }

  const MonitorRequest& request_;
  launcher::StartedContainer started_;
  UniqueFd listener_;
  UniqueFd log_;
  std::vector<Client> clients_;
  std::vector<bool> lent_;
  bool has_console_ = false;
  std::string ring_;
  size_t ring_capacity_;
};

void RedirectStdioToNull() {
  UniqueFd null(open("/dev/null", O_RDWR | O_CLOEXEC));
  for (int fd = 0; fd <= 2; ++fd) dup2(null.get(), fd);
}

// The monitor's body after fork. Reports "ok\n" or the error on `report`.
[[noreturn]] void RunMonitor(const MonitorRequest& request, int report) {
  setsid();
  RedirectStdioToNull();
  auto fail = [report](const Error& error) {
    std::string text = error.ToString();
    (void)!write(report, text.data(), text.size());
    _exit(1);
  };
  security::HookEnvironment environment = request.plan->hook_environment;
  Status pre_start = security::RunHooks(*request.config, security::HookType::kPreStart, environment);
  if (!pre_start.ok()) fail(pre_start.error());
  AbortAt("before-start");
  launcher::ForwardedSignals signals = launcher::ForwardedSignals::Block();
  auto started = launcher::StartContainer(*request.plan, request.caller, request.helpers, signals);
  if (!started.ok()) fail(started.error());
  AbortAt("after-start");
  Status dir = EnsurePrivateDir(request.paths.dir, getuid());
  if (!dir.ok()) fail(dir.error());
  auto listener = ListenControlSocket(request.paths.socket);
  if (!listener.ok()) fail(listener.error());
  AbortAt("after-socket");
  ContainerState state{request.name, started->init.pid, getpid(), request.config_file, time(nullptr)};
  Status written = WriteStateFile(request.paths.state, state);
  if (!written.ok()) {
    RemoveRuntimeFiles(request.paths);
    fail(written.error());
  }
  (void)!write(report, "ok\n", 3);
  close(report);

  Monitor monitor(request, std::move(*started), std::move(*listener));
  monitor.Serve();
  environment.target = "stop";
  (void)security::RunHooks(*request.config, security::HookType::kStop, environment);
  (void)security::RunHooks(*request.config, security::HookType::kPostStop, environment);
  RemoveRuntimeFiles(request.paths);
  _exit(0);
}

}  // namespace

Result<pid_t> LaunchMonitor(const MonitorRequest& request, templates::ContainerLock lock) {
  // The monitor inherits the lock's fd across fork; the lock lasts until the
  // monitor exits, whatever this process does.
  if (!lock.held()) return PlainError("start " + request.name + ": the container lock is not held");
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return ErrnoError("create the monitor's report pipe");
  UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  pid_t pid = fork();
  if (pid < 0) return ErrnoError("fork the monitor");
  if (pid == 0) {
    read_end.Reset();
    RunMonitor(request, write_end.get());
  }
  write_end.Reset();
  std::string report;
  char buffer[512];
  for (;;) {
    ssize_t n = read(read_end.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    report.append(buffer, n);
  }
  if (report == "ok\n") return pid;
  // The monitor exits after a failed start; reap it (it is our child).
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (report.empty()) return PlainError("the monitor died while it started the container");
  return PlainError(report);
}

}  // namespace uxc::lifecycle

#include "launcher/cli/stop.h"

#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/lifecycle/control_socket.h"
#include "launcher/lifecycle/payload_cgroup.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = ContainerOptions({
      {"timeout", 't', true, false, "SECONDS", "how long to wait for a clean halt before killing (default 60)"},
      {"kill", 'k', false, false, "", "kill at once (lxc.signal.stop, default SIGKILL)"},
      {"reboot", 'r', false, false, "",
       "send lxc.signal.reboot (default SIGINT): the container restarts; with -t, wait until it runs again"},
      {"nowait", 'W', false, false, "", "send the signal and return at once, without waiting for the end"},
      {"nokill", 0, false, false, "",
       "never kill: when the container has not halted within the timeout, leave it running and exit 1"},
  });
  return kOptions;
}

int Fail(const Error& error) { return FailWith("stop", error); }

// True when the monitor closed `fd` (it exits once the init is gone) within
// `seconds` (-1: forever).
bool WaitForMonitorExit(int fd, int seconds) {
  pollfd watched = {fd, POLLIN, 0};
  int remaining_ms = seconds < 0 ? -1 : seconds * 1000;
  for (;;) {
    int ready = poll(&watched, 1, remaining_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char c;
    ssize_t n = read(fd, &c, 1);
    if (n <= 0) return true;
  }
}

// The container's own cgroup, opened before the monitor is asked: once the
// init is gone, its release may remove the cgroup at any moment. None (the
// container has no cgroup of its own, or it is gone already) is no error.
std::optional<kernel::Cgroup> PayloadOf(const lifecycle::ContainerRef& ref) {
  auto cgroup = lifecycle::OpenPayloadCgroup(ref.paths);
  if (cgroup.ok()) return std::move(*cgroup);
  if (cgroup.error().errno_value != ENOENT) {
    std::fprintf(stderr, "uxc stop: warning: %s\n", cgroup.error().ToString().c_str());
  }
  return std::nullopt;
}

// After the init got its signal, what the container's own cgroup adds: a
// stop kills every process of the subtree with cgroup.kill, which no fork
// can outrun (cgroup-v2.rst; Linux 5.14, before it the init's SIGKILL ends
// the pid namespace alone); and a frozen container is thawed, as lxc-stop
// does, or it would never act on its signal. A cgroup its release removed
// meanwhile has nothing left to kill or thaw.
void UseTheCgroup(const kernel::Cgroup& payload, const std::string& request) {
  if (request == "stop") {
    Status killed = payload.Kill();
    int error = killed.ok() ? 0 : killed.error().errno_value;
    if (error != 0 && error != ENOENT) {
      std::fprintf(stderr, "uxc stop: warning: %s\n", killed.error().ToString().c_str());
    }
  }
  auto events = payload.ReadEvents();
  if (events.ok() && events->frozen) (void)payload.Thaw(1000);
}

Status SendAndWait(const lifecycle::ContainerRef& ref, const std::string& request, int seconds, bool* ended) {
  UXC_ASSIGN_OR_RETURN(UniqueFd fd, lifecycle::ConnectMonitor(ref));
  std::optional<kernel::Cgroup> payload = PayloadOf(ref);
  UXC_RETURN_IF_ERROR(lifecycle::Ask(fd.get(), request));
  if (payload) UseTheCgroup(*payload, request);
  *ended = seconds == 0 || WaitForMonitorExit(fd.get(), seconds);
  return OkStatus();
}

// The monitor closes its clients' connections a moment before it exits and
// the kernel drops the lock: a stop returns once the container is STOPPED.
constexpr int kLockReleaseMs = 10 * 1000;

Status StopAndWait(const lifecycle::ContainerRef& ref, const std::string& request, int seconds, bool* ended) {
  UXC_RETURN_IF_ERROR(SendAndWait(ref, request, seconds, ended));
  if (*ended && seconds != 0) (void)lifecycle::AwaitLockReleased(ref, kLockReleaseMs);
  return OkStatus();
}

// -r -t SECONDS, as lxc-stop's: waits until the old container is released
// (the monitor closes the connection) and the new one runs.
Status RebootAndWait(const lifecycle::ContainerRef& ref, int seconds) {
  timespec start;
  clock_gettime(CLOCK_MONOTONIC, &start);
  bool ended = false;
  UXC_RETURN_IF_ERROR(SendAndWait(ref, "reboot", seconds, &ended));
  for (;;) {
    if (ended) {
      auto status = lifecycle::ProbeContainer(ref);
      if (status.ok() && status->state == lifecycle::RunState::kRunning) return OkStatus();
    }
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!ended || now.tv_sec - start.tv_sec >= seconds) {
      return PlainError("container '" + ref.name + "' did not come back within " + std::to_string(seconds) +
                        " s (`uxc ls` shows whether it runs)");
    }
    usleep(50 * 1000);
  }
}

// -t SECONDS: whole seconds, default 60.
Result<int> TimeoutOf(const ParsedArgs& parsed) {
  std::string text = parsed.Value("timeout", "60");
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 6) {
    return UsageErrorFor("stop", "-t takes whole seconds, not \"" + text + "\"");
  }
  return std::stoi(text);
}

Status Reboot(const ParsedArgs& parsed, const lifecycle::ContainerRef& ref, int timeout) {
  bool ended = false;
  if (!parsed.Has("timeout") || parsed.Has("nowait")) return SendAndWait(ref, "reboot", 0, &ended);
  return RebootAndWait(ref, timeout);
}

// The halt signal, then (unless --nokill) the stop signal after `timeout`.
Status HaltOrKill(const ParsedArgs& parsed, const lifecycle::ContainerRef& ref, int timeout) {
  bool ended = false;
  int wait = parsed.Has("nowait") ? 0 : -1;
  if (parsed.Has("kill")) return StopAndWait(ref, "stop", wait, &ended);
  UXC_RETURN_IF_ERROR(StopAndWait(ref, "halt", parsed.Has("nowait") ? 0 : timeout, &ended));
  if (ended) return OkStatus();
  if (parsed.Has("nokill")) {
    return PlainError("container '" + ref.name + "' did not halt within " + std::to_string(timeout) +
                      " s; left running (--nokill)");
  }
  std::fprintf(stderr, "uxc stop: container '%s' did not halt within %d s; killing it\n", ref.name.c_str(), timeout);
  return StopAndWait(ref, "stop", -1, &ended);
}

}  // namespace

Status KillAndWait(const lifecycle::ContainerRef& ref) {
  bool ended = false;
  return StopAndWait(ref, "stop", -1, &ended);
}

int RunStop(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("stop", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("stop", "NAME [-P DIR] [-t SECONDS] [-k | -r] [-W] [--nokill]",
                          "Sends the init lxc.signal.halt (default SIGPWR), waits up to SECONDS for the "
                          "container to end, then kills it with lxc.signal.stop (default SIGKILL) and, when "
                          "it has a cgroup of its own, every process in it at once (cgroup.kill). With -r, "
                          "the init reboots and the monitor starts the container again. A frozen container "
                          "is thawed to receive its signal.",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  if (auto refused = RefuseBadName("stop", *parsed)) return *refused;
  if (parsed->Has("nokill") && parsed->Has("kill")) {
    return Fail(UsageErrorFor("stop", "--nokill and -k contradict each other"));
  }
  auto timeout = TimeoutOf(*parsed);
  if (!timeout.ok()) return Fail(timeout.error());
  auto ref = NamedContainer(*parsed, "stop");
  if (!ref.ok()) return Fail(ref.error());
  Status done = parsed->Has("reboot") ? Reboot(*parsed, *ref, *timeout) : HaltOrKill(*parsed, *ref, *timeout);
  return done.ok() ? 0 : Fail(done.error());
}

}  // namespace uxc::cli

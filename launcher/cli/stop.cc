#include "launcher/cli/stop.h"

#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/lifecycle/control_socket.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = ContainerOptions({
      {"timeout", 't', true, false, "SECONDS", "how long to wait for a clean halt before killing (default 60)"},
      {"kill", 'k', false, false, "", "kill at once (lxc.signal.stop, default SIGKILL)"},
      {"reboot", 'r', false, false, "",
       "send lxc.signal.reboot (default SIGINT): the container restarts; with -t, wait until it runs again"},
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

Status SendAndWait(const lifecycle::ContainerRef& ref, const std::string& request, int seconds, bool* ended) {
  auto fd = lifecycle::ConnectMonitor(ref);
  if (!fd.ok()) return fd.take_error();
  auto answer = lifecycle::Ask(fd->get(), request);
  if (!answer.ok()) return answer.take_error();
  *ended = seconds == 0 || WaitForMonitorExit(fd->get(), seconds);
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

}  // namespace

int RunStop(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("stop", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("stop", "NAME [-P DIR] [-t SECONDS] [-k | -r]",
                          "Sends the init lxc.signal.halt (default SIGPWR), waits up to SECONDS for the "
                          "container to end, then kills it with lxc.signal.stop (default SIGKILL). With -r, "
                          "the init reboots and the monitor starts the container again.",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  if (auto refused = RefuseBadName("stop", *parsed)) return *refused;
  auto ref = NamedContainer(*parsed, "stop");
  if (!ref.ok()) return Fail(ref.error());
  int timeout = 60;
  std::string timeout_text = parsed->Value("timeout", "60");
  if (timeout_text.empty() || timeout_text.find_first_not_of("0123456789") != std::string::npos ||
      timeout_text.size() > 6) {
    return Fail(PlainError("-t takes whole seconds, not \"" + timeout_text + "\""));
  }
  timeout = std::stoi(timeout_text);
  bool ended = false;
  if (parsed->Has("reboot")) {
    if (!parsed->Has("timeout")) {
      Status sent = SendAndWait(*ref, "reboot", 0, &ended);
      return sent.ok() ? 0 : Fail(sent.error());
    }
    Status rebooted = RebootAndWait(*ref, timeout);
    return rebooted.ok() ? 0 : Fail(rebooted.error());
  }
  if (!parsed->Has("kill")) {
    Status halted = SendAndWait(*ref, "halt", timeout, &ended);
    if (!halted.ok()) return Fail(halted.error());
    if (ended) return 0;
    std::fprintf(stderr, "uxc stop: container '%s' did not halt within %d s; killing it\n", ref->name.c_str(),
                 timeout);
  }
  Status killed = SendAndWait(*ref, "stop", -1, &ended);
  if (!killed.ok()) return Fail(killed.error());
  return 0;
}

}  // namespace uxc::cli

#include "launcher/lifecycle/foreground_control.h"

#include <unistd.h>

namespace uxc::lifecycle {
namespace {

// How long a client may owe a request or the reading of an answer, as the
// monitor's (lifecycle/monitor_loop.h).
constexpr int64_t kClientTimeoutMs = 5000;

}  // namespace

ForegroundControl::ForegroundControl(UniqueFd listener, int pidfd, pid_t init_pid, ForegroundSignals signals,
                                     const ConsoleRing& ring)
    : server_(std::move(listener), kClientTimeoutMs, *this),
      pidfd_(pidfd),
      init_pid_(init_pid),
      signals_(signals),
      ring_(ring) {}

bool ForegroundControl::Answer(ControlClient& client, const std::string& request) {
  int64_t now = MonotonicMs();
  std::string launcher = "`uxc start -F` (pid " + std::to_string(getpid()) + ")";
  if (request == "state") return client.Send("RUNNING\n", now);
  if (request == "pid") return client.Send(std::to_string(init_pid_) + "\n", now);
  if (request == "halt" || request == "stop") {
    stop_requested_ = true;
    return AnswerSignal(client, pidfd_, request == "halt" ? signals_.halt : signals_.stop);
  }
  if (request == "tail") return client.Send(TailAnswer(ring_), now);
  if (request == "reboot") {
    return client.Send("error: the container runs in the foreground of " + launcher +
                           ", which ends with its init and does not restart it: stop it, then start it again\n",
                       now);
  }
  if (request.starts_with("console ")) {
    return client.Send("error: the console is on the terminal of " + launcher + "\n", now);
  }
  return client.Send("error: unknown request \"" + request + "\"\n", now);
}

size_t ForegroundControl::MaxAnswer() const { return ring_.size() + 4096; }

}  // namespace uxc::lifecycle

#include "launcher/cli/wait.h"

#include <time.h>

#include <cstdio>

#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/lifecycle/payload_cgroup.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = ContainerOptions({
      {"state", 's', true, false, "STATE", "RUNNING, FROZEN, STOPPED, STARTING or STOPPING (several as RUNNING|FROZEN)"},
      {"timeout", 't', true, false, "SECONDS", "give up after SECONDS (exit 1); default: wait forever"},
  });
  return kOptions;
}

int Fail(const Error& error) { return FailWith("wait", error); }

// The states lxc-wait takes that a uxc container can be in.
Result<std::string> ParseWaitState(const std::string& text) {
  if (text == "FROZEN") return text;
  if (lifecycle::ParseRunState(text).ok()) return text;
  return PlainError("unknown state \"" + text + "\": use RUNNING, FROZEN, STOPPED, STARTING or STOPPING");
}

}  // namespace

int RunWait(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("wait", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("wait", "NAME -s STATE [-t SECONDS]", "Waits until the container is in STATE.", Options())
                   .c_str(),
               stdout);
    return 0;
  }
  if (auto refused = RefuseBadName("wait", *parsed)) return *refused;
  if (!parsed->Has("state")) {
    return Fail(UsageErrorFor("wait", "say which state to wait for: -s RUNNING or -s STOPPED"));
  }
  auto ref = NamedContainer(*parsed, "wait");
  if (!ref.ok()) return Fail(ref.error());
  std::vector<std::string> wanted;
  std::string states = parsed->Value("state");
  for (size_t start = 0; start <= states.size();) {
    size_t bar = states.find('|', start);
    if (bar == std::string::npos) bar = states.size();
    auto state = ParseWaitState(states.substr(start, bar - start));
    if (!state.ok()) return Fail(UsageErrorFor("wait", state.error().message));
    wanted.push_back(*state);
    start = bar + 1;
  }
  int timeout = parsed->Has("timeout") ? std::atoi(parsed->Value("timeout").c_str()) : -1;
  timespec began;
  clock_gettime(CLOCK_MONOTONIC, &began);
  for (;;) {
    auto status = lifecycle::ProbeContainer(*ref);
    if (!status.ok()) return Fail(status.error());
    std::string shown = lifecycle::ShownState(*status, ref->paths);
    for (const std::string& state : wanted) {
      if (state == shown) return 0;
    }
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (timeout >= 0 && now.tv_sec - began.tv_sec >= timeout) {
      std::fprintf(stderr, "uxc wait: container '%s' is still %s after %d s\n", ref->name.c_str(),
                   shown.c_str(), timeout);
      return 1;
    }
    timespec pause = {0, 100 * 1000 * 1000};
    nanosleep(&pause, nullptr);
  }
}

}  // namespace uxc::cli

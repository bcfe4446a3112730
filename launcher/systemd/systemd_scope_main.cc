// uxc-systemd-scope NAME PID: moves PID, its caller, into a new transient
// scope of the user's systemd with Delegate=yes, so that uxc gets a
// delegated cgroup v2 for container NAME without `systemd-run`. Only uxc
// runs it (launcher/systemd/user_systemd_scope.h), from its own prefix,
// never from PATH. It runs as the user, before any container exists, and
// asks the user's own manager for nothing it would not do for
// `systemd-run --user --scope`. Exit status 0 once PID sits in the scope;
// 1, with why on stderr, when it does not; 2 for a bad command line.
#include <sys/random.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <string>

#include "base/read_file.h"
#include "config/container_name.h"
#include "launcher/systemd/scope_unit.h"
#include "launcher/systemd/transient_scope.h"

namespace {

int Fail(const std::string& message, int status = 1) {
  std::fprintf(stderr, "uxc-systemd-scope: %s\n", message.c_str());
  return status;
}

uint32_t RandomSuffix() {
  uint32_t value = 0;
  if (getrandom(&value, sizeof value, GRND_NONBLOCK) != sizeof value) value = static_cast<uint32_t>(getpid());
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Fail("usage: uxc-systemd-scope NAME PID (uxc runs it; see docs/running.md)", 2);
  std::string name = argv[1], pid_text = argv[2];
  uxc::Status valid = uxc::config::ValidateContainerName(name);
  if (!valid.ok()) return Fail(valid.error().ToString(), 2);
  pid_t pid = 0;
  auto [end, ec] = std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
  // Only the caller: a pid named on the command line could be any of the
  // user's processes, and a scope moves the one it is given.
  if (ec != std::errc() || end != pid_text.data() + pid_text.size() || pid != getppid())
    return Fail("PID " + pid_text + " is not the caller's (" + std::to_string(getppid()) + ")", 2);

  uxc::systemd::ScopeRequest request;
  request.unit = uxc::systemd::ScopeUnitName(name, RandomSuffix());
  request.description = "uxc container " + name;
  request.pid = pid;
  uxc::Status started = uxc::systemd::StartDelegatedScope(request);
  if (!started.ok()) return Fail(started.error().Summary());
  auto cgroup = uxc::ReadSmallFile("/proc/" + pid_text + "/cgroup");
  if (!cgroup.ok()) return Fail(cgroup.error().Summary());
  if (!uxc::systemd::CgroupIsUnit(*cgroup, request.unit))
    return Fail(request.unit + " started, but process " + pid_text + " is not in it: /proc/" + pid_text +
                "/cgroup reads " + *cgroup);
  return 0;
}

// Kernel tests change process-wide state that cannot be undone (bounding set,
// no_new_privs, seccomp), so they do it in a forked child and look at what the
// child reports.
#pragma once

#include <functional>
#include <string>

namespace uxc::security::testing {

struct ChildResult {
  int exit_code = -1;   // -1 when killed
  int term_signal = 0;  // the signal that killed it, or 0
  std::string report;   // what the child wrote to its report fd
};

// Forks; the child unshares a user namespace first when asked (and so holds
// every capability in it, as the container's init does), runs `body` with a
// report fd and exits with its return value.
ChildResult RunInChild(const std::function<int(int report_fd)>& body,
                       bool new_user_namespace = true);

// Writes `text` and a newline to `fd`.
void Report(int fd, const std::string& text);

// A field of /proc/self/status, e.g. StatusField("CapBnd") -> "000001ffffffffff".
std::string StatusField(const std::string& name);

}  // namespace uxc::security::testing

// One lock for the cgroup work of every pam_uxc call on the host: a flock
// on /run/uxc/pam.lock, root's. Without it, a close that finds the user's
// node idle removes it (with the session-* leaves in it) while another
// session of the user is half open: its node made or found, its process
// not yet in its leaf. docs/pam.md ("Logins and logouts at once") argues
// a lock over retrying.
#pragma once

#include <string>

#include "base/error.h"
#include "base/unique_fd.h"

namespace uxc::pam {

inline constexpr char kLockDir[] = "/run/uxc";
inline constexpr char kLockName[] = "pam.lock";

class SessionLock {
 public:
  // Waits for the lock, `timeout_ms` at most. An error says why there is
  // none (the directory is not root's alone, the wait timed out); the
  // caller logs it and goes on unlocked: a login never waits forever.
  static Result<SessionLock> Take(int timeout_ms);

  SessionLock(SessionLock&&) = default;
  SessionLock& operator=(SessionLock&&) = default;

 private:
  explicit SessionLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;  // the lock goes with it
};

}  // namespace uxc::pam

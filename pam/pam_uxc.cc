// pam_uxc.so: the PAM entry points. They never break a login: every failure
// goes to syslog, and the session fails only when the admin wrote `required`
// among the arguments (docs/pam.md says why an argument: PAM does not tell a
// module its control flag).
#include <pwd.h>
#include <security/pam_ext.h>
#include <security/pam_modules.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"
#include "pam/module_args.h"
#include "pam/node_name.h"
#include "pam/session_cgroup.h"
#include "pam/session_lock.h"

namespace uxc::pam {
namespace {

constexpr char kPlaceKey[] = "uxc.session";
// How long a login waits for another's cgroup work (milliseconds, each).
constexpr int kLockTimeoutMs = 10000;

ModuleArgs ReadArgs(pam_handle_t* handle, int argc, const char** argv, bool* bad) {
  std::vector<std::string_view> words(argv, argv + argc);
  ParsedArgs parsed = ParseModuleArgs(words);
  for (const std::string& error : parsed.errors) pam_syslog(handle, LOG_ERR, "%s", error.c_str());
  *bad = !parsed.errors.empty();
  return parsed.args;
}

LogLine SyslogFor(pam_handle_t* handle, bool debug) {
  return [handle, debug](int priority, const std::string& line) {
    if (priority == LOG_DEBUG && !debug) return;
    pam_syslog(handle, priority, "%s", line.c_str());
  };
}

// The result of a session call that could not do its work. Not PAM_IGNORE:
// libpam fails a stack in which every module ignored the call, so an
// `optional` pam_uxc alone in a session stack would then refuse the login.
int Failed(const ModuleArgs& args) { return args.required ? PAM_SESSION_ERR : PAM_SUCCESS; }

// systemd delegates through user@.service (pam_systemd): a host it booted
// has /run/systemd/system (sd_booted(3)); pam_systemd earlier in the stack
// leaves "systemd.existing" in the handle's data.
bool UnderSystemd(pam_handle_t* handle) {
  struct stat status;
  const void* data = nullptr;
  return (lstat("/run/systemd/system", &status) == 0 && S_ISDIR(status.st_mode)) ||
         pam_get_data(handle, "systemd.existing", &data) == PAM_SUCCESS;
}

// The session's user, from PAM_USER and the password database; nullopt
// (logged) when the name may not name a node or has no entry.
std::optional<SessionUser> FindUser(pam_handle_t* handle, const LogLine& log) {
  const void* item = nullptr;
  if (pam_get_item(handle, PAM_USER, &item) != PAM_SUCCESS || item == nullptr) {
    log(LOG_ERR, "the session has no user (PAM_USER)");
    return std::nullopt;
  }
  std::string_view name = static_cast<const char*>(item);
  if (auto problem = NodeNameProblem(name)) {
    log(LOG_ERR, "refusing the user name " + Quoted(name, kMaxNodeName) + " as a cgroup name: " + *problem);
    return std::nullopt;
  }
  passwd entry;
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  std::string key(name);
  if (getpwnam_r(key.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || found == nullptr) {
    log(LOG_ERR, "no password database entry for the user " + Quoted(name));
    return std::nullopt;
  }
  // NSS may hand back another spelling; the node takes the entry's own.
  if (auto problem = NodeNameProblem(found->pw_name)) {
    log(LOG_ERR, "refusing the user name " + Quoted(found->pw_name, kMaxNodeName) + " as a cgroup name: " + *problem);
    return std::nullopt;
  }
  return SessionUser{found->pw_name, found->pw_uid, found->pw_gid};
}

// Held across a call's cgroup work (session_lock.h); without it (logged)
// the call goes on, as a login must.
std::optional<SessionLock> Lock(const LogLine& log) {
  auto lock = SessionLock::Take(kLockTimeoutMs);
  if (lock.ok()) return std::move(*lock);
  log(LOG_WARNING, lock.error().ToString() + "; going on without the lock");
  return std::nullopt;
}

void ForgetPlace(pam_handle_t*, void* data, int) { delete static_cast<SessionPlace*>(data); }

// What applies to both calls: the arguments, systemd, the user. nullopt
// with *result set when the call ends here.
struct Call {
  ModuleArgs args;
  SessionUser user;
};

std::optional<Call> Begin(pam_handle_t* handle, int argc, const char** argv, int* result) {
  bool bad = false;
  ModuleArgs args = ReadArgs(handle, argc, argv, &bad);
  LogLine log = SyslogFor(handle, args.debug);
  *result = Failed(args);
  if (bad) return std::nullopt;
  if (UnderSystemd(handle)) {
    log(LOG_DEBUG, "systemd runs this host and delegates through user@.service: nothing to do");
    *result = PAM_SUCCESS;
    return std::nullopt;
  }
  std::optional<SessionUser> user = FindUser(handle, log);
  if (!user) return std::nullopt;
  if (user->uid == 0) {
    log(LOG_DEBUG, "root needs no delegated cgroup: nothing to do");
    *result = PAM_SUCCESS;
    return std::nullopt;
  }
  return Call{std::move(args), std::move(*user)};
}

}  // namespace
}  // namespace uxc::pam

using uxc::pam::Call;
using uxc::pam::SessionPlace;

static int OpenSession(pam_handle_t* handle, int argc, const char** argv) {
  int result = PAM_SESSION_ERR;
  std::optional<Call> call = uxc::pam::Begin(handle, argc, argv, &result);
  if (!call) return result;
  uxc::pam::LogLine log = uxc::pam::SyslogFor(handle, call->args.debug);
  auto lock = uxc::pam::Lock(log);
  auto place = uxc::pam::OpenSessionCgroup(call->args, call->user, getpid(), log);
  if (!place.ok()) {
    log(LOG_ERR, call->user.name + "'s cgroup: " + place.error().ToString());
    return uxc::pam::Failed(call->args);
  }
  auto* kept = new SessionPlace(std::move(*place));
  if (pam_set_data(handle, uxc::pam::kPlaceKey, kept, uxc::pam::ForgetPlace) != PAM_SUCCESS) delete kept;
  return PAM_SUCCESS;
}

static int CloseSession(pam_handle_t* handle, int argc, const char** argv) {
  int result = PAM_SESSION_ERR;
  std::optional<Call> call = uxc::pam::Begin(handle, argc, argv, &result);
  if (!call) return result;
  uxc::pam::LogLine log = uxc::pam::SyslogFor(handle, call->args.debug);
  const void* data = nullptr;
  SessionPlace place{uxc::pam::LeafName(getpid()), ""};
  if (pam_get_data(handle, uxc::pam::kPlaceKey, &data) == PAM_SUCCESS && data != nullptr) {
    place = *static_cast<const SessionPlace*>(data);
  }
  auto lock = uxc::pam::Lock(log);
  uxc::Status closed = uxc::pam::CloseSessionCgroup(call->args, call->user, place, log);
  if (!closed.ok()) {
    log(LOG_ERR, call->user.name + "'s cgroup: " + closed.error().ToString());
    return uxc::pam::Failed(call->args);
  }
  return PAM_SUCCESS;
}

// No C++ exception may reach the C program that loaded the module; the only
// one the code above can throw is std::bad_alloc.
template <typename Body>
static int Guarded(pam_handle_t* handle, Body body) {
  try {
    return body();
  } catch (...) {
    pam_syslog(handle, LOG_CRIT, "out of memory");
    return PAM_SESSION_ERR;
  }
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t* handle, int, int argc, const char** argv) {
  return Guarded(handle, [&] { return OpenSession(handle, argc, argv); });
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t* handle, int, int argc, const char** argv) {
  return Guarded(handle, [&] { return CloseSession(handle, argc, argv); });
}

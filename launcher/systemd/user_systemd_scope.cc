#include "launcher/systemd/user_systemd_scope.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "base/read_file.h"
#include "kernel/setuid_helper.h"
#include "launcher/engine/helper_path.h"
#include "launcher/engine/log.h"

namespace uxc::launcher {
namespace {

bool IsDirectory(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsSocket(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

void Note(const std::string& text) {
  std::fprintf(stderr, "uxc: %s\n", text.c_str());
  log::Warn("cgroup", text);
}

}  // namespace

UserSystemd FindUserSystemd() {
  if (!IsDirectory("/run/systemd/system")) return UserSystemd::kNone;
  const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  if (address != nullptr && *address != '\0') return UserSystemd::kBus;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (runtime != nullptr && *runtime == '/' && IsSocket(std::string(runtime) + "/bus")) return UserSystemd::kBus;
  return UserSystemd::kNoBus;
}

std::string NoUserBusNote(const std::string& container) {
  return "no user systemd bus here (no $XDG_RUNTIME_DIR/bus, as under su or cron), so " + container +
         " gets no delegated scope; from a login session, `systemd-run --user --scope -p Delegate=yes uxc start " +
         container + "` gives it one";
}

Result<bool> EnterUserSystemdScope(const std::string& container) {
  switch (FindUserSystemd()) {
    case UserSystemd::kNone:
      return false;
    case UserSystemd::kNoBus:
      Note(NoUserBusNote(container));
      return false;
    case UserSystemd::kBus:
      break;
  }
  auto program = FindInternalProgram("uxc-systemd-scope", "asks the user's systemd for a delegated scope");
  if (!program.ok()) {
    Note(program.error().Summary());
    return false;
  }
  // A config-less `uxc run` has no name: its scope is uxc-run-<random>.
  std::string name = container.empty() ? "run" : container;
  UXC_ASSIGN_OR_RETURN(kernel::RunningHelper helper,
                       kernel::SpawnHelper({*program, name, std::to_string(getpid())}));
  UXC_ASSIGN_OR_RETURN(kernel::HelperExit exit, kernel::WaitForHelper(helper));
  if (!exit.succeeded) {
    Note("the user's systemd gave " + container + " no delegated scope: " + kernel::DescribeFailure(helper, exit));
    return false;
  }
  auto cgroup = ReadSmallFile("/proc/self/cgroup");
  log::Info("cgroup", "in a delegated scope of the user's systemd: " + (cgroup.ok() ? *cgroup : std::string()));
  return true;
}

}  // namespace uxc::launcher

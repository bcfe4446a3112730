#include "launcher/systemd/cgroup_prospect.h"

#include "kernel/cgroup.h"
#include "launcher/systemd/user_systemd_scope.h"

namespace uxc::launcher {

CgroupProspect ProspectOfDelegatedCgroup() {
  auto point = kernel::FindDelegationPoint();
  if (point.ok() && point->writable) return {true, ""};
  switch (FindUserSystemd()) {
    case UserSystemd::kBus:
      return {true, ""};
    case UserSystemd::kNoBus:
      return {false,
              "your cgroup is not delegated to you and the user systemd bus is out of reach (no "
              "$XDG_RUNTIME_DIR/bus, as under su or cron): start it from a login session, or with "
              "`systemd-run --user --scope -p Delegate=yes uxc start NAME` there"};
    case UserSystemd::kNone:
      break;
  }
  std::string where = point.ok() ? point->cgroup.path() : point.error().Summary();
  return {false, "your cgroup (" + where +
                     ") is not delegated to you and there is no systemd to ask for one: ask root to "
                     "add pam_uxc.so to your login's PAM session (docs/pam.md)"};
}

}  // namespace uxc::launcher

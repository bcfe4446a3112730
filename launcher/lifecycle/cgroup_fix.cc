#include "launcher/lifecycle/cgroup_fix.h"

#include <algorithm>

#include "kernel/cgroup_files.h"

namespace uxc::lifecycle {
namespace {

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string Where(const launcher::CgroupLimit& limit) {
  return limit.origin + ": " + limit.key + " = " + limit.value;
}

std::string RemoveLine(const launcher::CgroupLimit& limit) {
  if (limit.origin == "command line") return "; or leave out -s " + limit.key + " to start without the limit";
  return "; or remove the line " + limit.origin + " to start without the limit";
}

std::string Name(const CgroupHost& host) { return host.container.empty() ? "NAME" : host.container; }

Error NoDelegation(const launcher::CgroupLimit& limit, const CgroupHost& host) {
  std::string fix = host.systemd
                        ? "start it in a scope delegated to you: `systemd-run --user --scope -p Delegate=yes uxc start " +
                              Name(host) + "`"
                        : "ask root to add `session optional pam_uxc.so` to /etc/pam.d/common-session, which "
                          "gives you a delegated cgroup at your next login (docs/pam.md)";
  return WithHint(PlainError(Where(limit) + ": this limit needs a cgroup of the container's own, and no cgroup v2 "
                                            "is delegated to you (your cgroup is not yours to write)"),
                  fix + RemoveLine(limit));
}

Error OnCgroupV1(const launcher::CgroupLimit& limit, const CgroupHost& host) {
  std::string fix = host.openrc
                        ? "set rc_cgroup_mode=\"unified\" in /etc/rc.conf and reboot"
                        : host.systemd ? "boot with systemd.unified_cgroup_hierarchy=1 on the kernel command line"
                                       : "boot with cgroup_no_v1=all on the kernel command line (or mount only "
                                         "cgroup2 on /sys/fs/cgroup)";
  return WithHint(PlainError(Where(limit) + ": the " + limit.controller +
                             " controller is bound to cgroup v1 on this host (a hybrid hierarchy), where it "
                             "cannot be delegated to you"),
                  "ask root to " + fix + ", which makes every controller cgroup v2's" + RemoveLine(limit));
}

Error NotDelegated(const launcher::CgroupLimit& limit, const CgroupHost& host) {
  std::string fix;
  if (host.systemd) {
    fix = "ask root to delegate it to user sessions: `mkdir -p /etc/systemd/system/user@.service.d && printf "
          "'[Service]\\nDelegate=cpu cpuset io memory pids\\n' > "
          "/etc/systemd/system/user@.service.d/delegate.conf && systemctl daemon-reload` (systemd 252's "
          "user@.service delegates only cpu, memory and pids), log in again, and start it with "
          "`systemd-run --user --scope -p Delegate=yes uxc start " +
          Name(host) + "`";
  } else {
    fix = "ask root to let pam_uxc enable it: `session optional pam_uxc.so controllers=cpu,cpuset,io,memory,pids` "
          "in /etc/pam.d/common-session (docs/pam.md), then log in again";
  }
  return WithHint(PlainError(Where(limit) + ": the " + limit.controller + " controller is not delegated to " +
                             host.delegation + " (its cgroup.controllers: \"" +
                             kernel::FormatControllerList(host.available) + "\")"),
                  fix + RemoveLine(limit));
}

}  // namespace

Status CheckLimitsApply(const launcher::CgroupPlan& plan, const CgroupHost& facts) {
  CgroupHost host = facts;
  if (host.container.empty()) host.container = plan.name;
  for (const launcher::CgroupLimit& limit : plan.limits) {
    bool core = limit.controller == "cgroup";
    bool available = core || Has(host.available, limit.controller);
    if (!host.delegation.empty() && available) continue;
    if (!core && !available && Has(host.v1_controllers, limit.controller)) return OnCgroupV1(limit, host);
    if (host.delegation.empty()) return NoDelegation(limit, host);
    return NotDelegated(limit, host);
  }
  return OkStatus();
}

}  // namespace uxc::lifecycle

#include "launcher/lifecycle/payload_cgroup.h"

#include "launcher/lifecycle/acquired_record.h"
#include "launcher/lifecycle/recorded_cgroup.h"

namespace uxc::lifecycle {

Result<std::optional<kernel::Cgroup>> OpenPayloadCgroup(const RuntimePaths& paths) {
  UXC_ASSIGN_OR_RETURN(std::optional<AcquiredRecord> record, ReadAcquiredFile(AcquiredRecordPath(paths.dir)));
  std::optional<std::string> path = record ? RecordedPayloadCgroup(*record) : std::nullopt;
  if (!path) return std::optional<kernel::Cgroup>();
  UXC_ASSIGN_OR_RETURN(kernel::Cgroup cgroup, kernel::Cgroup::Open(*path));
  return std::optional<kernel::Cgroup>(std::move(cgroup));
}

std::string ShownState(const ContainerStatus& status, const RuntimePaths& paths) {
  if (status.state != RunState::kRunning) return RunStateName(status.state);
  auto cgroup = OpenPayloadCgroup(paths);
  if (!cgroup.ok() || !cgroup->has_value()) return RunStateName(status.state);
  auto events = (*cgroup)->ReadEvents();
  return events.ok() && events->frozen ? "FROZEN" : RunStateName(status.state);
}

Error NoCgroupOfItsOwn(const std::string& name, const std::string& command) {
  return PlainError("container '" + name + "' has no cgroup of its own, so there is nothing for " + command +
                    " to write: it was started where no cgroup v2 is delegated to you (its start said so " +
                    "in one line); stop it and start it with one: `systemd-run --user --scope -p Delegate=yes " +
                    "uxc start " + name + "`, or after a login through pam_uxc (docs/pam.md); " +
                    "`uxc checkconfig` shows your delegation");
}

}  // namespace uxc::lifecycle

#include "launcher/lifecycle/cgroup_concern.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "kernel/cgroup.h"
#include "launcher/engine/mapped_root.h"
#include "launcher/engine/subordinate_ids.h"
#include "launcher/lifecycle/cgroup_fix.h"

namespace uxc::lifecycle {
namespace {

using kernel::Cgroup;

// How long the release waits for the killed processes to be gone.
constexpr int kEmptyTimeoutMs = 5000;
// Where a monitor moves to leave its own leaf (LXC's lxc.pivot).
constexpr char kPivot[] = "uxc.pivot";

bool Has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool PathExists(const char* path) {
  struct stat status;
  return stat(path, &status) == 0;
}

std::vector<std::string> Parts(const std::string& path) {
  std::vector<std::string> parts;
  for (size_t start = 0; start < path.size();) {
    size_t end = std::min(path.find('/', start), path.size());
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

CgroupHost ReadHost(const kernel::CgroupLayout& layout, const kernel::DelegationPoint* point,
                    const std::string& name) {
  CgroupHost host;
  host.mode = layout.mode;
  host.v1_controllers = kernel::V1Controllers(layout);
  host.systemd = PathExists("/run/systemd/system");
  host.openrc = PathExists("/run/openrc");
  host.container = name;
  if (point != nullptr && point->writable) {
    host.delegation = point->cgroup.path();
    auto available = point->cgroup.Controllers();
    if (available.ok()) host.available = std::move(*available);
  }
  return host;
}

// The delegated cgroup, when there is one the caller may write.
Result<std::optional<kernel::DelegationPoint>> Delegation(const launcher::CgroupPlan& plan, CgroupHost* host) {
  UXC_ASSIGN_OR_RETURN(kernel::CgroupLayout layout, kernel::ReadCgroupLayout());
  auto point = kernel::DelegationPointOf(layout);
  *host = ReadHost(layout, point.ok() ? &*point : nullptr, plan.name);
  if (!point.ok() || !point->writable) return std::optional<kernel::DelegationPoint>();
  return std::optional<kernel::DelegationPoint>(std::move(*point));
}

// ---- Removal ----

// Depth first; what the container's root made is removable only as it
// (RemoveTree).
int RemoveDescendants(const Cgroup& cgroup) {
  auto children = cgroup.Children();
  if (!children.ok()) return children.error().errno_value ? children.error().errno_value : EIO;
  for (const std::string& name : *children) {
    auto child = cgroup.OpenChild(name);
    if (!child.ok()) return child.error().errno_value ? child.error().errno_value : EIO;
    if (int error = RemoveDescendants(*child); error != 0) return error;
    Status removed = cgroup.RemoveChild(name);
    if (!removed.ok()) return removed.error().errno_value ? removed.error().errno_value : EIO;
  }
  return 0;
}

// The maps under which the user acts as the container's root on what it
// made: the ids of the start, or at a release the user's subordinate ranges,
// with the user's own id beside them.
launcher::IdMapPlan RootAndOwnIds(launcher::IdMapPlan maps, const launcher::Caller& caller) {
  launcher::AddOwnIds(caller, &maps);
  return maps;
}

Result<launcher::IdMapPlan> HostRangesAndOwnIds(const launcher::Caller& caller) {
  UXC_ASSIGN_OR_RETURN(launcher::IdMapPlan maps, launcher::DefaultIdMapFromHost(caller));
  return RootAndOwnIds(std::move(maps), caller);
}

// `name` below `parent` with the cgroups in it; those the container's root
// made (in its cgroup, which it owns) are removed as it.
Status RemoveTree(const Cgroup& parent, const std::string& name, const launcher::IdMapPlan* start_maps) {
  auto cgroup = parent.OpenChild(name);
  if (!cgroup.ok()) return cgroup.error().errno_value == ENOENT ? OkStatus() : Status(cgroup.take_error());
  int error = RemoveDescendants(*cgroup);
  if (error == EACCES || error == EPERM) {
    launcher::Caller caller = launcher::CurrentCaller();
    auto maps = start_maps != nullptr ? Result<launcher::IdMapPlan>(RootAndOwnIds(*start_maps, caller))
                                      : HostRangesAndOwnIds(caller);
    if (!maps.ok()) return maps.take_error();
    const Cgroup& tree = *cgroup;
    UXC_RETURN_IF_ERROR(launcher::RunAsMappedRoot(*maps, caller, {}, [&tree] { return RemoveDescendants(tree); },
                                                  "remove the cgroups the container made in " + tree.path()));
  } else if (error != 0) {
    return ErrnoError(error, "remove the cgroups in " + cgroup->path());
  }
  return parent.RemoveChild(name);
}

Status KillAndWait(const Cgroup& cgroup) {
  UXC_ASSIGN_OR_RETURN(kernel::CgroupEvents events, cgroup.ReadEvents());
  if (!events.populated) return OkStatus();
  UXC_RETURN_IF_ERROR(cgroup.Kill());
  return cgroup.WaitUntilEmpty(kEmptyTimeoutMs);
}

bool Contains(const Cgroup& cgroup, pid_t pid) {
  auto pids = cgroup.Processes();
  return pids.ok() && std::find(pids->begin(), pids->end(), pid) != pids->end();
}

// A monitor cannot remove the leaf it sits in: it moves to a pivot beside.
Status LeaveLeaf(const Cgroup& parent, const Cgroup& leaf) {
  if (!Contains(leaf, getpid())) return OkStatus();
  auto pivot = parent.OpenChild(kPivot);
  if (!pivot.ok()) pivot = parent.CreateChild(kPivot);
  if (!pivot.ok()) return pivot.take_error();
  return pivot->AddProcess(getpid());
}

// ---- Making ----

// A cgroup of the same name that a killed start left: removed when empty;
// one with processes is a container that runs.
Status ClearLeftover(const Cgroup& parent, const std::string& name, const launcher::IdMapPlan& maps) {
  auto left = parent.OpenChild(name);
  if (!left.ok()) return left.error().errno_value == ENOENT ? OkStatus() : Status(left.take_error());
  UXC_ASSIGN_OR_RETURN(kernel::CgroupEvents events, left->ReadEvents());
  if (events.populated) {
    return WithHint(PlainError("the cgroup " + left->path() + " has processes: the container runs already"),
                    "see `uxc ls`; if nothing of it should run, end them with `echo 1 > " + left->path() +
                        "/cgroup.kill` and start again");
  }
  return RemoveTree(parent, name, &maps);
}

Status Intend(AcquiredLog& record, const std::string& path, CgroupRole role) {
  AcquiredEntry entry{AcquiredKind::kCgroup, AcquiredStatus::kIntent, path, {}, role};
  return record.Intend(std::move(entry));
}

// The parts of `path` below `base` (lxc.cgroup.dir), each made when
// missing, recorded as a parent; the last one returned.
Result<Cgroup> OpenParents(const Cgroup& base, const std::string& path, AcquiredLog& record) {
  UXC_ASSIGN_OR_RETURN(Cgroup current, Cgroup::Open(base.path()));
  std::vector<std::string> parts = Parts(path);
  if (!parts.empty()) parts.pop_back();
  for (const std::string& part : parts) {
    auto next = current.OpenChild(part);
    if (!next.ok() && next.error().errno_value == ENOENT) {
      UXC_RETURN_IF_ERROR(Intend(record, current.path() + "/" + part, CgroupRole::kParent));
      next = current.CreateChild(part);
    }
    if (!next.ok()) return next.take_error();
    current = std::move(*next);
  }
  return current;
}

std::string Leaf(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// Top-down from the delegated cgroup to the payload's parent, only what a
// limit needs and is not on yet.
Status EnableDown(const Cgroup& base, const std::string& payload, const std::vector<std::string>& controllers) {
  UXC_ASSIGN_OR_RETURN(Cgroup current, Cgroup::Open(base.path()));
  std::vector<std::string> parts = Parts(payload);
  for (size_t i = 0;; ++i) {
    UXC_ASSIGN_OR_RETURN(std::vector<std::string> enabled, current.EnabledForChildren());
    std::vector<std::string> missing;
    for (const std::string& controller : controllers) {
      if (!Has(enabled, controller)) missing.push_back(controller);
    }
    Status status = current.EnableControllers(missing);
    if (!status.ok() && status.error().errno_value == EBUSY) {
      return WithHint(Annotate(status.take_error(), "enable the limits' controllers"),
                      current.path() + " has processes of its own, and a cgroup with processes cannot hand "
                                       "controllers down (cgroup v2's no-internal-process rule): start uxc from "
                                       "a leaf cgroup, or from a scope of its own (`systemd-run --user --scope "
                                       "-p Delegate=yes uxc ...`)");
    }
    UXC_RETURN_IF_ERROR(status);
    if (i + 1 >= parts.size()) return OkStatus();
    UXC_ASSIGN_OR_RETURN(current, current.OpenChild(parts[i]));
  }
}

Status WriteLimits(const Cgroup& payload, const launcher::CgroupPlan& plan) {
  for (const launcher::CgroupLimit& limit : plan.limits) {
    Status written = payload.WriteLimit(limit.file, limit.value);
    if (!written.ok()) return Annotate(written.take_error(), limit.origin + ": " + limit.key + " = " + limit.value);
  }
  return OkStatus();
}

// The container's root gets the payload and its delegatable files, as the
// init is in it: the user wrote its cgroup.procs until then.
struct ContainerRoot {
  launcher::IdMapPlan maps;
  launcher::Caller caller;
  launcher::HelperSettings helpers;
};

Status GiveToContainerRoot(const Cgroup& payload, const ContainerRoot& root) {
  auto root_uid = launcher::OutsideIdOf(root.maps.uids, 0);
  auto root_gid = launcher::OutsideIdOf(root.maps.gids, 0);
  if (!root_uid || !root_gid) return OkStatus();  // no root inside: nobody to delegate to
  if (*root_uid == root.caller.uid && *root_gid == root.caller.gid) return OkStatus();
  std::vector<std::string> files = kernel::DelegatableFiles();
  auto work = [&payload, &files] {
    Status given = payload.HandOver(0, 0, files);
    return given.ok() ? 0 : (given.error().errno_value != 0 ? given.error().errno_value : EIO);
  };
  return launcher::RunAsMappedRoot(RootAndOwnIds(root.maps, root.caller), root.caller, root.helpers, work,
                                   "give the cgroup " + payload.path() + " to the container's root");
}

Status MakeLayout(StartContext& start, const Cgroup& base) {
  const launcher::CgroupPlan& plan = start.host.cgroup;
  AcquiredLog& record = start.record;
  UXC_ASSIGN_OR_RETURN(Cgroup monitor_parent, OpenParents(base, plan.monitor, record));
  UXC_RETURN_IF_ERROR(ClearLeftover(monitor_parent, Leaf(plan.monitor), *start.maps));
  UXC_ASSIGN_OR_RETURN(Cgroup payload_parent, OpenParents(base, plan.payload, record));
  UXC_RETURN_IF_ERROR(ClearLeftover(payload_parent, Leaf(plan.payload), *start.maps));
  UXC_RETURN_IF_ERROR(Intend(record, monitor_parent.path() + "/" + Leaf(plan.monitor), CgroupRole::kMonitor));
  UXC_ASSIGN_OR_RETURN(Cgroup monitor, monitor_parent.CreateChild(Leaf(plan.monitor)));
  if (!plan.controllers.empty()) {
    if (Contains(base, getpid())) UXC_RETURN_IF_ERROR(monitor.AddProcess(getpid()));
    UXC_RETURN_IF_ERROR(EnableDown(base, plan.payload, plan.controllers));
  }
  UXC_RETURN_IF_ERROR(Intend(record, payload_parent.path() + "/" + Leaf(plan.payload), CgroupRole::kPayload));
  UXC_ASSIGN_OR_RETURN(Cgroup payload, payload_parent.CreateChild(Leaf(plan.payload)));
  UXC_RETURN_IF_ERROR(WriteLimits(payload, plan));
  HeldForClone& held = record.held();
  held.payload.emplace(std::move(payload));
  const Cgroup* placed = &*held.payload;
  ContainerRoot root{*start.maps, *start.caller, *start.helpers};
  root.helpers.early = nullptr;
  held.placed = [placed, root] { return GiveToContainerRoot(*placed, root); };
  return OkStatus();
}

}  // namespace

Status CheckContainerCgroup(const launcher::CgroupPlan& plan, std::vector<std::string>* notes) {
  CgroupHost host;
  UXC_ASSIGN_OR_RETURN(auto point, Delegation(plan, &host));
  UXC_RETURN_IF_ERROR(CheckLimitsApply(plan, host));
  if (!point) notes->push_back(launcher::kNoOwnCgroupNote);
  return OkStatus();
}

Status MakeContainerCgroup(StartContext& start) {
  CgroupHost host;
  UXC_ASSIGN_OR_RETURN(auto point, Delegation(start.host.cgroup, &host));
  UXC_RETURN_IF_ERROR(CheckLimitsApply(start.host.cgroup, host));
  if (!point) return OkStatus();
  return MakeLayout(start, point->cgroup);
}

Status ConfirmContainerCgroup(StartContext& start) { return start.record.Confirm(AcquiredKind::kCgroup); }

Status ReleaseContainerCgroup(const AcquiredEntry& entry, StopContext&) {
  size_t slash = entry.target.rfind('/');
  std::string name = entry.target.substr(slash + 1);
  auto parent = Cgroup::Open(entry.target.substr(0, slash));
  if (!parent.ok()) return parent.error().errno_value == ENOENT ? OkStatus() : Status(parent.take_error());
  auto cgroup = parent->OpenChild(name);
  if (!cgroup.ok()) return cgroup.error().errno_value == ENOENT ? OkStatus() : Status(cgroup.take_error());
  switch (entry.cgroup_role) {
    case CgroupRole::kPayload:
      UXC_RETURN_IF_ERROR(KillAndWait(*cgroup));
      return RemoveTree(*parent, name, nullptr);
    case CgroupRole::kMonitor:
      UXC_RETURN_IF_ERROR(LeaveLeaf(*parent, *cgroup));
      return parent->RemoveChild(name);
    case CgroupRole::kParent: {
      Status removed = parent->RemoveChild(name);
      // Another container's cgroups are in it still.
      return removed.ok() || removed.error().errno_value == EBUSY ? OkStatus() : removed;
    }
  }
  return OkStatus();
}

}  // namespace uxc::lifecycle

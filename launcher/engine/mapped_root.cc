#include "launcher/engine/mapped_root.h"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher/engine/clone.h"
#include "launcher/engine/sync.h"

namespace uxc::launcher {
namespace {

// The child's exit status: 0, or the errno `work` returned (1..254); 255:
// the maps never came.
constexpr int kNoMaps = 255;

Status Reap(const ClonedProcess& child, const std::string& what) {
  siginfo_t info{};
  while (waitid(static_cast<idtype_t>(P_PIDFD), child.pidfd.get(), &info, WEXITED) != 0) {
    if (errno != EINTR) return ErrnoError("wait for the process that would " + what);
  }
  if (info.si_code != CLD_EXITED) return PlainError("the process that would " + what + " was killed");
  if (info.si_status == 0) return OkStatus();
  if (info.si_status == kNoMaps) return PlainError("the process that would " + what + " got no id maps");
  return ErrnoError(info.si_status, what);
}

}  // namespace

Status RunAsMappedRoot(const IdMapPlan& maps, const Caller& caller, const HelperSettings& helpers,
                       const std::function<int()>& work, const std::string& what) {
  UXC_ASSIGN_OR_RETURN(auto sync, MakeSyncPair());
  UXC_ASSIGN_OR_RETURN(ClonedProcess child, CloneProcess(CLONE_NEWUSER));
  if (child.pid == 0) {
    sync.parent.Reset();
    if (WaitFor(sync.child.get(), SyncTag::kGo) != 0) _exit(kNoMaps);
    int error = work();
    _exit(error > 0 && error < kNoMaps ? error : (error == 0 ? 0 : EIO));
  }
  sync.child.Reset();
  HelperSettings plain = helpers;
  plain.early = nullptr;  // the early helper maps the init only
  Status mapped = WriteIdMaps(maps, child.pid, caller, plain);
  if (mapped.ok()) mapped = Send(sync.parent.get(), SyncTag::kGo);
  sync.parent.Reset();  // without the go, the child's wait ends
  Status ended = Reap(child, what);
  if (!mapped.ok()) return Annotate(mapped.take_error(), "map the ids of the process that would " + what);
  return ended;
}

}  // namespace uxc::launcher

// The container's id maps: which lines /proc/PID/{uid,gid}_map get (a plan,
// testable without the kernel), and writing them, through the setuid helpers
// for subordinate ranges or directly when only the caller's own id is mapped.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "config/values.h"
#include "kernel/setuid_helper.h"
#include "kernel/spawn_ahead.h"

namespace uxc::launcher {

struct IdMapLine {
  uint32_t inside = 0;
  uint32_t outside = 0;
  uint32_t count = 0;
  bool operator==(const IdMapLine&) const = default;
};

struct Caller {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string name;
};
// The calling user: real ids and the passwd name (for messages).
Caller CurrentCaller();

// A user's first subordinate range from /etc/subuid or /etc/subgid.
struct SubordinateRange {
  uint32_t start = 0;
  uint32_t count = 0;
};

struct IdMapPlan {
  std::vector<IdMapLine> uids;
  std::vector<IdMapLine> gids;
  // Shown to the user when the plan is a fallback (own id only).
  std::string note;
  bool operator==(const IdMapPlan&) const = default;
};

// lxc.idmap lines (validated by config::ParseIdMappings); "b" lines go to both.
IdMapPlan PlanFromMappings(const std::vector<config::IdMapping>& mappings);

// The default when no config layer sets lxc.idmap: the first subuid and
// subgid ranges mapped at 0. A user without them gets only their own uid and
// gid, mapped to 0, and a note that says how to get a range.
IdMapPlan DefaultIdMap(const Caller& caller, const std::optional<SubordinateRange>& uids,
                       const std::optional<SubordinateRange>& gids);

// Appends the caller's own uid and gid at the first inside id that no line
// covers yet (lxc-usernsexec -s).
void AddOwnIds(const Caller& caller, IdMapPlan* plan);

// The container's root: the outside id that inside id 0 maps to, if mapped.
std::optional<uint32_t> OutsideIdOf(const std::vector<IdMapLine>& lines, uint32_t inside);

// True when the map can be written without a helper: the caller is root, or
// the map is one line of count 1 whose outside id is the caller's own.
bool CanWriteDirectly(const std::vector<IdMapLine>& lines, uint32_t own_id, bool caller_is_root);

class EarlyIdMapHelper;

// The helpers' paths from uxc.conf (empty: search, see helper_path.h).
class NicAttacher;

struct HelperSettings {
  std::string newuidmap;
  std::string newgidmap;
  // uxc-newidmap already started for this start (not owned); WriteIdMaps
  // hands it the pid when the maps are those it was started with.
  EarlyIdMapHelper* early = nullptr;
  // Makes the veth nics of the plan (nic_setup.h; not owned); needed only
  // when the plan has nics.
  NicAttacher* nics = nullptr;
};

// A helper started (posix_spawn; the early one by SpawnAhead) whose stderr
// is captured (kernel/setuid_helper.h).
using kernel::RunningHelper;

// uxc-newidmap started before the container's init exists, with the target
// `wait:N` (docs/idmap.md): its exec, setuid start and range checks run
// while uxc plans the start and clones the init, off the start's critical
// path; uxc does not even wait for its exec (spawn_ahead.h). Finish()
// writes the init's pid to its pipe. Destroyed unfinished, it closes the
// pipe and ends the helper, which has written nothing.
class EarlyIdMapHelper {
 public:
  // The helper when WriteIdMaps would call uxc-newidmap for `plan` (both
  // maps need a helper, it is installed, uxc.conf names neither helper of
  // the pair) and it could be started; else nullptr, and WriteIdMaps maps as
  // without it.
  static std::unique_ptr<EarlyIdMapHelper> Start(const IdMapPlan& plan, const Caller& caller,
                                                 const HelperSettings& helpers);
  EarlyIdMapHelper(const EarlyIdMapHelper&) = delete;
  EarlyIdMapHelper& operator=(const EarlyIdMapHelper&) = delete;
  ~EarlyIdMapHelper();

  // Whether Finish() may map `plan`: the plan it was started with, unused.
  bool CanMap(const IdMapPlan& plan) const;
  // Sends `pid` and waits for the helper: OK once both maps are written.
  Status Finish(pid_t pid);
  // Closes the pipe and ends the helper (it never read a pid).
  void Cancel();

 private:
  EarlyIdMapHelper() = default;
  IdMapPlan plan_;
  Caller caller_;
  RunningHelper helper_;
  // Started without waiting for its exec (spawn_ahead.h); kept until the
  // helper is reaped.
  std::unique_ptr<kernel::SpawnAhead> spawn_;
  UniqueFd pid_pipe_;  // the write end
  bool used_ = false;
};

// Writes both maps of `pid`'s user namespace. When both need a helper, one
// uxc-newidmap call writes both, if it is installed (next to uxc, in its prefix's libexec/uxc, or on PATH)
// and uxc.conf names neither helper of the pair; else uxc-newuidmap and
// uxc-newgidmap (or the helpers uxc.conf names) run at the same time;
// `helpers.early`, when it can map `plan`, stands in for the one call. A
// direct gid map writes "deny" to /proc/PID/setgroups first
// (user_namespaces(7): required without CAP_SETGID in the parent namespace).
Status WriteIdMaps(const IdMapPlan& plan, pid_t pid, const Caller& caller,
                   const HelperSettings& helpers);

// The command lines of the helpers, argv[0] = `path`:
// uxc-newuidmap/uxc-newgidmap: PID INSIDE OUTSIDE COUNT...
std::vector<std::string> IdMapHelperCommand(const std::string& path, pid_t pid,
                                            const std::vector<IdMapLine>& lines);
// uxc-newidmap: PID u INSIDE OUTSIDE COUNT... g INSIDE OUTSIDE COUNT...
std::vector<std::string> IdMapsHelperCommand(const std::string& path, pid_t pid,
                                             const IdMapPlan& plan);
// uxc-newidmap started early: wait:PIPE_FD u ... g ...
std::vector<std::string> DeferredIdMapsHelperCommand(const std::string& path, int pipe_fd,
                                                     const IdMapPlan& plan);

// "0 100000 65536\n..." as /proc/PID/uid_map takes it.
std::string FormatMapFile(const std::vector<IdMapLine>& lines);

}  // namespace uxc::launcher

#include "launcher/engine/idmap.h"

#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "base/unique_fd.h"
#include "config/free_subid_range.h"
#include "kernel/setuid_helper.h"
#include "launcher/engine/helper_path.h"

namespace uxc::launcher {
namespace {

using kernel::SpawnHelper;

Status WriteProcFile(pid_t pid, const char* name, const std::string& content) {
  std::string path = "/proc/" + std::to_string(pid) + "/" + name;
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return ErrnoError("open " + path);
  ssize_t written = write(fd.get(), content.data(), content.size());
  if (written != static_cast<ssize_t>(content.size())) {
    return ErrnoError(written < 0 ? errno : EIO,
                      "write \"" + content.substr(0, content.find('\n')) + "\" to " + path);
  }
  return OkStatus();
}

void AppendLines(const std::vector<IdMapLine>& lines, const char* kind,
                 std::vector<std::string>* argv) {
  for (const IdMapLine& line : lines) {
    if (kind != nullptr) argv->push_back(kind);
    argv->push_back(std::to_string(line.inside));
    argv->push_back(std::to_string(line.outside));
    argv->push_back(std::to_string(line.count));
  }
}

// `files`: the policy files the helper checked, for the hint.
Status FinishHelper(RunningHelper& helper, const std::string& files, const Caller& caller) {
  UXC_ASSIGN_OR_RETURN(auto exit, kernel::WaitForHelper(helper));
  if (exit.succeeded) return OkStatus();
  return WithHint(PlainError("map ids: " + kernel::DescribeFailure(helper, exit)),
                  "check that " + caller.name + " has the outside ids asked for in " + files + " (`grep " +
                      caller.name + " " + files + "`)");
}

Status RunHelper(std::vector<std::string> argv, const std::string& files, const Caller& caller) {
  UXC_ASSIGN_OR_RETURN(auto helper, SpawnHelper(std::move(argv)));
  return FinishHelper(helper, files, caller);
}

Status WriteDirectly(pid_t pid, const char* file, const std::vector<IdMapLine>& lines) {
  return WriteProcFile(pid, file, FormatMapFile(lines));
}

// uxc-newidmap's path when WriteIdMaps would call it for `plan`: both maps
// need a helper, and uxc.conf names neither helper of the pair (e.g.
// shadow's, which keep the pair).
std::optional<std::string> CombinedHelperFor(const IdMapPlan& plan, const Caller& caller,
                                             const HelperSettings& helpers) {
  if (plan.uids.empty() || plan.gids.empty()) return std::nullopt;
  bool root = geteuid() == 0;
  if (CanWriteDirectly(plan.uids, caller.uid, root) || CanWriteDirectly(plan.gids, caller.gid, root)) {
    return std::nullopt;
  }
  if (!helpers.newuidmap.empty() || !helpers.newgidmap.empty()) return std::nullopt;
  return FindOptionalHelper("uxc-newidmap");
}

// Writes `text` to `fd`; a reader that is gone is EPIPE, not SIGPIPE. The
// signal is blocked for the write and, when it was raised, taken before the
// mask is restored (pthread_sigmask(3), sigtimedwait(2)).
Status WriteWithoutSigpipe(int fd, const std::string& text, const std::string& what) {
  sigset_t pipe_signal, previous;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  ssize_t written = write(fd, text.data(), text.size());
  int write_errno = errno;
  if (written < 0 && write_errno == EPIPE && !sigismember(&previous, SIGPIPE)) {
    timespec now = {0, 0};
    sigtimedwait(&pipe_signal, nullptr, &now);
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (written == static_cast<ssize_t>(text.size())) return OkStatus();
  return ErrnoError(written < 0 ? write_errno : EIO, what);
}

}  // namespace

Caller CurrentCaller() {
  Caller caller;
  caller.uid = getuid();
  caller.gid = getgid();
  passwd entry;
  passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(caller.uid, &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr) {
    caller.name = found->pw_name;
  } else {
    caller.name = std::to_string(caller.uid);
  }
  return caller;
}

IdMapPlan PlanFromMappings(const std::vector<config::IdMapping>& mappings) {
  IdMapPlan plan;
  for (const config::IdMapping& mapping : mappings) {
    IdMapLine line{mapping.inside, mapping.outside, mapping.count};
    if (mapping.kind != config::IdMapping::Kind::kGid) plan.uids.push_back(line);
    if (mapping.kind != config::IdMapping::Kind::kUid) plan.gids.push_back(line);
  }
  return plan;
}

IdMapPlan DefaultIdMap(const Caller& caller, const std::optional<SubordinateRange>& uids,
                       const std::optional<SubordinateRange>& gids) {
  IdMapPlan plan;
  if (uids) {
    plan.uids.push_back({0, uids->start, uids->count});
  } else {
    plan.uids.push_back({0, caller.uid, 1});
  }
  if (gids) {
    plan.gids.push_back({0, gids->start, gids->count});
  } else {
    plan.gids.push_back({0, caller.gid, 1});
  }
  if (!uids || !gids) {
    std::string missing = !uids && !gids ? "/etc/subuid and /etc/subgid have"
                          : !uids        ? "/etc/subuid has"
                                         : "/etc/subgid has";
    std::string free = config::FreeSubidRangeOnThisHost(caller.name, caller.uid);
    plan.note = "note: " + missing + " no range for " + caller.name + ", so only your own " +
                (!uids && !gids ? "uid and gid are"
                 : !uids        ? "uid is"
                                : "gid is") +
                " mapped (to root) in the container. For a full container, ask root to run "
                "`usermod --add-subuids " + free + " --add-subgids " + free + " " +
                caller.name + "`";
  }
  return plan;
}

void AddOwnIds(const Caller& caller, IdMapPlan* plan) {
  auto add = [](std::vector<IdMapLine>& lines, uint32_t own) {
    for (const IdMapLine& line : lines) {
      if (line.count == 1 && line.outside == own) return;  // already mapped
    }
    uint32_t next = 0;
    for (const IdMapLine& line : lines) next = std::max(next, line.inside + line.count);
    lines.push_back({next, own, 1});
  };
  add(plan->uids, caller.uid);
  add(plan->gids, caller.gid);
}

std::optional<uint32_t> OutsideIdOf(const std::vector<IdMapLine>& lines, uint32_t inside) {
  for (const IdMapLine& line : lines) {
    if (inside >= line.inside && inside - line.inside < line.count) {
      return line.outside + (inside - line.inside);
    }
  }
  return std::nullopt;
}

bool CanWriteDirectly(const std::vector<IdMapLine>& lines, uint32_t own_id, bool caller_is_root) {
  if (caller_is_root) return true;
  return lines.size() == 1 && lines[0].count == 1 && lines[0].outside == own_id;
}

std::string FormatMapFile(const std::vector<IdMapLine>& lines) {
  std::string text;
  for (const IdMapLine& line : lines) {
    text += std::to_string(line.inside) + " " + std::to_string(line.outside) + " " +
            std::to_string(line.count) + "\n";
  }
  return text;
}

std::vector<std::string> IdMapHelperCommand(const std::string& path, pid_t pid,
                                            const std::vector<IdMapLine>& lines) {
  std::vector<std::string> argv = {path, std::to_string(pid)};
  AppendLines(lines, nullptr, &argv);
  return argv;
}

std::vector<std::string> IdMapsHelperCommand(const std::string& path, pid_t pid,
                                             const IdMapPlan& plan) {
  std::vector<std::string> argv = {path, std::to_string(pid)};
  AppendLines(plan.uids, "u", &argv);
  AppendLines(plan.gids, "g", &argv);
  return argv;
}

std::vector<std::string> DeferredIdMapsHelperCommand(const std::string& path, int pipe_fd,
                                                     const IdMapPlan& plan) {
  std::vector<std::string> argv = {path, "wait:" + std::to_string(pipe_fd)};
  AppendLines(plan.uids, "u", &argv);
  AppendLines(plan.gids, "g", &argv);
  return argv;
}

std::unique_ptr<EarlyIdMapHelper> EarlyIdMapHelper::Start(const IdMapPlan& plan, const Caller& caller,
                                                          const HelperSettings& helpers) {
  std::optional<std::string> path = CombinedHelperFor(plan, caller, helpers);
  if (!path) return nullptr;
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return nullptr;
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);
  std::vector<std::string> argv = DeferredIdMapsHelperCommand(*path, read_end.get(), plan);
  auto start = kernel::PrepareHelper(argv);
  if (!start.ok()) return nullptr;
  auto spawned = kernel::SpawnAhead::Start(std::move(argv), start->stderr_write.get(), read_end.get());
  if (!spawned.ok()) return nullptr;
  std::unique_ptr<EarlyIdMapHelper> early(new EarlyIdMapHelper());
  early->pid_pipe_ = std::move(write_end);
  early->helper_ = std::move(start->helper);
  early->helper_.pid = (*spawned)->pid();
  early->spawn_ = std::move(*spawned);
  early->plan_ = plan;
  early->caller_ = caller;
  return early;
}

EarlyIdMapHelper::~EarlyIdMapHelper() { Cancel(); }

bool EarlyIdMapHelper::CanMap(const IdMapPlan& plan) const { return !used_ && plan == plan_; }

Status EarlyIdMapHelper::Finish(pid_t pid) {
  if (used_) return PlainError("map ids: uxc-newidmap was already used for this start");
  used_ = true;
  Status sent = WriteWithoutSigpipe(pid_pipe_.get(), std::to_string(pid) + "\n",
                                    "send the init's pid to " + helper_.command);
  pid_pipe_.Reset();
  // A helper that refused before reading the pid closed its end (EPIPE):
  // its message says why.
  Status finished = FinishHelper(helper_, "/etc/subuid /etc/subgid", caller_);
  if (!finished.ok()) return finished;
  return sent;
}

void EarlyIdMapHelper::Cancel() {
  if (used_ || helper_.pid <= 0) return;
  used_ = true;
  // The helper exits by itself once the pipe ends, but a cloned init may
  // still hold a copy of the write end: end it; it has read no pid, so it
  // has written nothing.
  pid_pipe_.Reset();
  kill(helper_.pid, SIGKILL);
  while (waitpid(helper_.pid, nullptr, 0) < 0 && errno == EINTR) {
  }
}

Status WriteIdMaps(const IdMapPlan& plan, pid_t pid, const Caller& caller,
                   const HelperSettings& helpers) {
  if (plan.uids.empty() || plan.gids.empty()) {
    return PlainError(
        "map ids: lxc.idmap must map both uids (u) and gids (g); add the missing lines");
  }
  if (helpers.early != nullptr) {
    if (helpers.early->CanMap(plan)) return helpers.early->Finish(pid);
    helpers.early->Cancel();
  }
  // One exec instead of two: each setuid exec costs about 0.5 ms (bench/).
  if (std::optional<std::string> both = CombinedHelperFor(plan, caller, helpers)) {
    return RunHelper(IdMapsHelperCommand(*both, pid, plan), "/etc/subuid /etc/subgid", caller);
  }
  bool root = geteuid() == 0;
  bool direct_uids = CanWriteDirectly(plan.uids, caller.uid, root);
  bool direct_gids = CanWriteDirectly(plan.gids, caller.gid, root);

  // Start the helpers first so that they run while the direct writes happen.
  std::optional<RunningHelper> uid_helper, gid_helper;
  if (!direct_uids) {
    UXC_ASSIGN_OR_RETURN(auto path, FindHelper("uxc-newuidmap", helpers.newuidmap, "uxc.newuidmap"));
    UXC_ASSIGN_OR_RETURN(auto spawned, SpawnHelper(IdMapHelperCommand(path, pid, plan.uids)));
    uid_helper = std::move(spawned);
  }
  Status status = OkStatus();
  if (!direct_gids) {
    auto path = FindHelper("uxc-newgidmap", helpers.newgidmap, "uxc.newgidmap");
    if (path.ok()) {
      auto spawned = SpawnHelper(IdMapHelperCommand(*path, pid, plan.gids));
      if (spawned.ok()) {
        gid_helper = std::move(*spawned);
      } else {
        status = spawned.take_error();
      }
    } else {
      status = path.take_error();
    }
  }
  if (status.ok() && direct_uids) status = WriteDirectly(pid, "uid_map", plan.uids);
  if (status.ok() && direct_gids) {
    if (!root) status = WriteProcFile(pid, "setgroups", "deny\n");
    if (status.ok()) status = WriteDirectly(pid, "gid_map", plan.gids);
  }
  // Always reap the helpers, even after a failure.
  if (uid_helper) {
    Status finished = FinishHelper(*uid_helper, "/etc/subuid", caller);
    if (status.ok()) status = std::move(finished);
  }
  if (gid_helper) {
    Status finished = FinishHelper(*gid_helper, "/etc/subgid", caller);
    if (status.ok()) status = std::move(finished);
  }
  return status;
}

}  // namespace uxc::launcher

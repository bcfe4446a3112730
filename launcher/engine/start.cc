#include "launcher/engine/start.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "launcher/engine/container_child.h"
#include "launcher/engine/log.h"
#include "launcher/engine/namespaces.h"
#include "launcher/engine/nic_setup.h"
#include "launcher/engine/sync.h"

namespace uxc::launcher {
namespace {

// "user mnt pid ..." for the log.
std::string NamespaceNames(uint64_t flags) {
  std::string names;
  for (const NamespaceInfo& info : KnownNamespaces()) {
    if (flags & info.clone_flag) names += (names.empty() ? "" : " ") + std::string(info.name);
  }
  return names;
}

// "0 600000 65536" lines joined for the log.
std::string MapText(const std::vector<IdMapLine>& lines) {
  std::string text;
  for (const IdMapLine& line : lines) {
    text += (text.empty() ? "" : ", ") + std::to_string(line.inside) + " " + std::to_string(line.outside) + " " +
            std::to_string(line.count);
  }
  return text.empty() ? "none" : text;
}

std::string CommandText(const std::vector<std::string>& argv) {
  std::string text;
  for (const std::string& word : argv) text += (text.empty() ? "" : " ") + word;
  return text;
}

}  // namespace

void DiscardInit(const ClonedProcess& init) {
  syscall(SYS_pidfd_send_signal, init.pidfd.get(), SIGKILL, nullptr, 0);
  siginfo_t info;
  while (waitid(static_cast<idtype_t>(P_PIDFD), init.pidfd.get(), &info, WEXITED) != 0 &&
         errno == EINTR) {
  }
}

namespace {

// The init's answer while it sets up: kReady (with the pty fds) or kError.
// Once it runs the payload, the end of the stream means the exec succeeded
// (the last copy of the socket was CLOEXEC).
enum class Phase { kSetUp, kExec };

// Waits until the init has something to say. ^C, or SIGTERM, SIGHUP or
// SIGQUIT, meanwhile ends the start: the init runs in a session of its own
// (terminal.h), so the terminal's signals reach uxc alone, which holds them
// blocked (ForwardedSignals); a start whose hook hangs would wait forever.
Status WaitForInit(int sync_fd, const char* waiting_for) {
  sigset_t interrupting;
  sigemptyset(&interrupting);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&interrupting, signal);
  UniqueFd signal_fd(signalfd(-1, &interrupting, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!signal_fd) return OkStatus();  // Receive waits alone
  for (;;) {
    pollfd fds[2] = {{sync_fd, POLLIN, 0}, {signal_fd.get(), POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(std::string("wait for the container's init while ") + waiting_for);
    }
    if (fds[0].revents != 0) return OkStatus();
    signalfd_siginfo info;
    if (read(signal_fd.get(), &info, sizeof info) == sizeof info) {
      const char* name = sigabbrev_np(static_cast<int>(info.ssi_signo));
      return PlainError(std::string("interrupted by SIG") + name + " while " + waiting_for);
    }
  }
}

Result<Received> Expect(int sync_fd, Phase phase, const char* waiting_for) {
  UXC_RETURN_IF_ERROR(WaitForInit(sync_fd, waiting_for));
  UXC_ASSIGN_OR_RETURN(Received received, Receive(sync_fd));
  if (received.end_of_stream) {
    if (phase == Phase::kSetUp) {
      return PlainError(std::string("the container's init exited while ") + waiting_for);
    }
    return received;
  }
  if (received.message.tag == SyncTag::kError) return ReportToError(received.message.report);
  if (phase == Phase::kExec || received.message.tag != SyncTag::kReady) {
    return PlainError(std::string("the container's init sent an unexpected message while ") +
                      waiting_for);
  }
  return received;
}

// A step of the parent failed while the child worked: when the child failed
// first, its report says why (e.g. the mapping fails for want of a process).
Error ChildReportOr(int sync_fd, Error error) {
  auto report = ReceiveIfReady(sync_fd);
  if (report.ok() && !report->end_of_stream && report->message.tag == SyncTag::kError) {
    return ReportToError(report->message.report);
  }
  return error;
}

// The nics, once the child made its network namespace (it sends it with
// kNetns) and its ids are mapped (uxc-user-nic checks that the caller owns
// the namespace's user namespace).
Status GiveNicsOnce(const StartPlan& plan, int sync_fd, const HelperSettings& helpers) {
  if (plan.network.nics.empty()) return OkStatus();
  if (helpers.nics == nullptr) return PlainError("this start cannot give the container veth nics");
  const char* waiting_for = "creating its network namespace";
  UXC_RETURN_IF_ERROR(WaitForInit(sync_fd, waiting_for));
  UXC_ASSIGN_OR_RETURN(Received received, Receive(sync_fd));
  if (received.end_of_stream) return PlainError(std::string("the container's init exited while ") + waiting_for);
  if (received.message.tag == SyncTag::kError) return ReportToError(received.message.report);
  if (received.message.tag != SyncTag::kNetns || received.fds.size() != 2) {
    return PlainError(std::string("the container's init sent an unexpected message while ") + waiting_for);
  }
  log::Debug("network", "the init's network namespace is here; giving " + std::to_string(plan.network.nics.size()) +
                            " nic(s)");
  return GiveNics(plan.network, *helpers.nics, received.fds[0], std::move(received.fds[1]));
}

// Maps the ids and lets the child go on; then, while it builds its root,
// compiles the seccomp filter that it loads last (bench/README.md).
Status HandOver(const StartPlan& plan, const ClonedProcess& init, int sync_fd, const Caller& caller,
                const HelperSettings& helpers) {
  log::Debug("idmap", "uid map " + MapText(plan.maps.uids) + "; gid map " + MapText(plan.maps.gids));
  Status mapped = WriteIdMaps(plan.maps, init.pid, caller, helpers);
  if (!mapped.ok()) {
    return ChildReportOr(sync_fd, Annotate(mapped.take_error(), "map the container's ids"));
  }
  if (Status given = GiveNicsOnce(plan, sync_fd, helpers); !given.ok()) return given.take_error();
  Error gone = PlainError("the container's init exited before it was set up");
  if (!Send(sync_fd, SyncTag::kGo).ok()) return ChildReportOr(sync_fd, gone);
  log::Debug("start", "ids mapped; the init sets up the root " + plan.rootfs.path);
  if (!plan.security.seccomp_profile) return OkStatus();
  UXC_ASSIGN_OR_RETURN(auto program, security::CompileSeccompProfile(plan.security));
  if (!SendSeccompFilter(sync_fd, program).ok()) return ChildReportOr(sync_fd, gone);
  return OkStatus();
}

// Where CLONE_INTO_CGROUP did not place the init: a cgroup.procs write, by
// the cgroup's fd.
Status MoveIntoCgroup(int cgroup_fd, pid_t pid) {
  UniqueFd procs(openat(cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
  std::string text = std::to_string(pid);
  if (!procs || write(procs.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    return ErrnoError("move the container's init into its cgroup (cgroup.procs)");
  }
  return OkStatus();
}

Status PlaceInCgroup(const InitCgroup& cgroup, const ClonedProcess& init, bool cloned_into) {
  if (cgroup.fd < 0) return OkStatus();
  if (!cloned_into) UXC_RETURN_IF_ERROR(MoveIntoCgroup(cgroup.fd, init.pid));
  return cgroup.placed ? cgroup.placed() : OkStatus();
}

Result<StartedContainer> Release(const StartPlan& plan, const ClonedProcess& init, int sync_fd,
                                 const Caller& caller, const HelperSettings& helpers) {
  UXC_RETURN_IF_ERROR(HandOver(plan, init, sync_fd, caller, helpers));
  UXC_ASSIGN_OR_RETURN(Received ready, Expect(sync_fd, Phase::kSetUp, "setting up the container"));
  log::Debug("start", "the init set up the container: hostname, mounts, /dev, pivot_root, " +
                          std::to_string(ready.fds.size()) + " pty fds handed over");
  StartedContainer started;
  started.ptys = std::move(ready.fds);
  int expected = plan.console.fd_count() + (plan.terminal.enabled ? 1 : 0);
  if (static_cast<int>(started.ptys.size()) != expected) {
    return PlainError("the container's init handed over " + std::to_string(started.ptys.size()) +
                      " pty fds instead of " + std::to_string(expected));
  }
  if (plan.terminal.enabled) {
    started.terminal = std::move(started.ptys.back());
    started.ptys.pop_back();
  }
  if (plan.console.has_console) {
    started.console_peer = std::move(started.ptys.back());
    started.ptys.pop_back();
  }
  UXC_RETURN_IF_ERROR(Expect(sync_fd, Phase::kExec, "starting the command"));
  log::Info("start", "the container runs: " + CommandText(plan.payload.argv) +
                         (plan.payload.as_pid1 ? " is its pid 1" : " under uxc's pid 1"));
  return started;
}

// clone3 into the cgroup; where the kernel cannot, a plain clone whose
// child unshares its cgroup namespace once the launcher moved it
// (`*cloned_into` false).
Result<ClonedProcess> CloneInit(const StartPlan& plan, const InitCgroup& cgroup, bool* cloned_into) {
  uint64_t flags = plan.namespaces.flags_at_clone();
  *cloned_into = cgroup.fd >= 0;
  auto cloned = CloneProcess(flags, cgroup.fd);
  if (cloned.ok() || cgroup.fd < 0 || !IntoCgroupUnsupported(cloned.error())) return cloned;
  log::Debug("start", "clone3 cannot place the init in its cgroup (" + cloned.error().ToString() +
                          "): moving it with a cgroup.procs write");
  *cloned_into = false;
  return CloneProcess(flags & ~static_cast<uint64_t>(CLONE_NEWCGROUP));
}

// The start itself; StartContainer logs its failure.
Result<StartedContainer> StartSteps(const StartPlan& plan, const Caller& caller, const HelperSettings& helpers,
                                    const ForwardedSignals& signals, const InitCgroup& cgroup) {
  log::Info("start", "starting with namespaces " + NamespaceNames(plan.namespaces.clone_flags) + ", rootfs " +
                         plan.rootfs.path);
  UXC_ASSIGN_OR_RETURN(auto sync, MakeSyncPair());
  bool cloned_into = false;
  UXC_ASSIGN_OR_RETURN(ClonedProcess cloned, CloneInit(plan, cgroup, &cloned_into));
  if (cloned.pid == 0) {
    sync.parent.Reset();
    bool unshare_cgroup = cgroup.fd >= 0 && !cloned_into && plan.namespaces.has(CLONE_NEWCGROUP);
    RunContainerChild(plan, sync.child.get(), signals.previous_mask(), unshare_cgroup);
  }
  sync.child.Reset();
  log::Debug("start", "cloned the init: pid " + std::to_string(cloned.pid));
  Status placed = PlaceInCgroup(cgroup, cloned, cloned_into);
  if (!placed.ok()) {
    DiscardInit(cloned);
    return placed.take_error();
  }
  auto started = Release(plan, cloned, sync.parent.get(), caller, helpers);
  if (!started.ok()) {
    DiscardInit(cloned);
    return started.take_error();
  }
  started->init = std::move(cloned);
  return started;
}

}  // namespace

std::vector<security::NamespaceReference> OpenNamespaces(pid_t pid, std::vector<UniqueFd>* fds) {
  std::vector<security::NamespaceReference> references;
  for (const NamespaceInfo& info : KnownNamespaces()) {
    std::string path = "/proc/" + std::to_string(pid) + "/ns/" + info.proc_name;
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) continue;
    references.push_back(
        {info.proc_name, "/proc/" + std::to_string(getpid()) + "/fd/" + std::to_string(fd.get())});
    fds->push_back(std::move(fd));
  }
  return references;
}

Result<StartedContainer> StartContainer(const StartPlan& plan, const Caller& caller,
                                        const HelperSettings& helpers,
                                        const ForwardedSignals& signals, const InitCgroup& cgroup) {
  UXC_RETURN_IF_ERROR(log::OpenLog(plan.log));
  auto started = StartSteps(plan, caller, helpers, signals, cgroup);
  if (!started.ok()) log::Error("start", "the start failed: " + started.error().ToString());
  return started;
}

}  // namespace uxc::launcher

#include "launcher/engine/container_child.h"

#include <fcntl.h>
#include <grp.h>
#include <linux/netlink.h>
#include <linux/filter.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <span>

#include "base/unique_fd.h"
#include "launcher/engine/mounter.h"
#include "launcher/engine/sync.h"
#include "launcher/engine/terminal.h"

namespace uxc::launcher {
namespace {

int BecomeRoot(int parent_death_signal, ChildReport* report) {
  // With a subgid range mapped, setgroups stays allowed and this empties the
  // caller's supplementary groups; with only the own gid it is "deny" and
  // there are none to drop.
  if (setgroups(0, nullptr) != 0 && errno != EPERM)
    return Fail(report, errno, "drop supplementary groups");
  if (setresgid(0, 0, 0) != 0) return Fail(report, errno, "become gid 0 of the container");
  if (setresuid(0, 0, 0) != 0) return Fail(report, errno, "become uid 0 of the container");
  // Not dumpable from here to the exec: hooks and whatever they leave behind
  // run as container root beside this process, and a dumpable one would
  // hand them its memory, environ, fds and /proc/1/exe, the uxc binary. Its
  // mm was made by an exec on the host, so the kernel then wants
  // CAP_SYS_PTRACE in the host's user namespace (ptrace(2), "Ptrace access
  // mode checking"), which container root lacks. It was dumpable until now
  // only for the launcher's write of its id maps; lxc.proc.oom_score_adj,
  // which a non-dumpable process cannot write, was set before that.
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return Fail(report, errno, "make the init non-dumpable");
  // The parent-death signal, reset by the credential change (prctl(2)): the
  // container dies with its launcher (lxc.monitor.signal.pdeath, SIGKILL
  // unless set).
  if (prctl(PR_SET_PDEATHSIG, parent_death_signal, 0, 0, 0) != 0) {
    return Fail(report, errno, "set the parent-death signal");
  }
  return 0;
}

int RunHooks(const security::PreparedHooks& hooks, ChildReport* report) {
  if (hooks.empty()) return 0;
  return security::RunPreparedHooks(hooks, report);
}

int BuildRoot(const StartPlan& plan, int root_fd, int* pty_fds, ChildReport* report) {
  if (ApplyMountPlan(root_fd, plan.early_mounts, report) != 0) return -1;
  if (ApplyMountPlan(root_fd, plan.entry_mounts, report) != 0) return -1;
  if (ApplyMountPlan(root_fd, plan.cgroup_mounts, report) != 0) return -1;
  if (RunHooks(plan.mount_hooks, report) != 0) return -1;
  if (plan.devices.enabled && RunHooks(plan.autodev_hooks, report) != 0) return -1;
  if (ApplyMountPlan(root_fd, plan.dev_mounts, report) != 0) return -1;
  if (SetUpConsoles(root_fd, plan.console, pty_fds, report) != 0) return -1;
  return FinishRootfs(root_fd, plan.rootfs, report);
}

// The seccomp filter comes from the launcher, which compiled it while this
// process built the root (launcher/engine/start.cc), unless the plan holds it.
int ApplySecurityPlan(const StartPlan& plan, int sync_fd, ChildReport* report) {
  sock_filter received[BPF_MAXINSNS];
  std::span<const sock_filter> program = plan.security.seccomp_program;
  if (plan.security.seccomp_profile) {
    size_t length = 0;
    if (ReceiveSeccompFilter(sync_fd, received, BPF_MAXINSNS, &length) != 0) {
      return Fail(report, errno, "receive the seccomp filter from the launcher");
    }
    program = {received, length};
  }
  return security::ApplySecurity(plan.security, program, report);
}

// The payload's pty (terminal.h), from the container's devpts under
// `root_fd`: its multiplexer joins the fds handed to the launcher, last.
int OpenTerminal(const StartPlan& plan, int root_fd, int* pty_fds, int* pty_count, int* peer,
                 ChildReport* report) {
  if (!plan.terminal.enabled) return 0;
  if (*pty_count >= kMaxSyncFds) return Fail(report, E2BIG, "allocate the terminal");
  if (OpenPayloadTerminal(root_fd, plan.terminal, &pty_fds[*pty_count], peer, report) != 0) {
    return -1;
  }
  ++*pty_count;
  return 0;
}

// The launcher gives the nics (nic_setup.h): uxc-user-nic needs the
// namespace, and the launcher configures them through a socket of it, which
// only a process inside could open.
int SendNetworkNamespace(int sync_fd, ChildReport* report) {
  UniqueFd netns(open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!netns) return Fail(report, errno, "open the network namespace");
  UniqueFd netlink(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!netlink) return Fail(report, errno, "open a netlink socket in the network namespace");
  int fds[2] = {netns.get(), netlink.get()};
  if (SendTag(sync_fd, SyncTag::kNetns, fds, 2) != 0) return Fail(report, errno, "hand the network namespace to the launcher");
  return 0;
}

// Everything up to the hand-over of the ptys. Returns 0 or -1 (report).
// What needs the namespaces' capabilities but not the id maps, done while
// the parent maps them (namespaces.h).
int SetUpBeforeMaps(const StartPlan& plan, int sync_fd, ChildReport* report) {
  if (ApplyOomScoreAdj(plan.process, report) != 0) return -1;
  if (plan.namespaces.unshares_network()) {
    if (unshare(CLONE_NEWNET) != 0) return Fail(report, errno, "create the network namespace");
    if (BringUpLoopback(report) != 0) return -1;
    if (!plan.network.nics.empty() && SendNetworkNamespace(sync_fd, report) != 0) return -1;
  }
  if (!plan.hostname.empty() && sethostname(plan.hostname.data(), plan.hostname.size()) != 0) {
    return Fail(report, errno, "set the hostname (lxc.uts.name)");
  }
  return 0;
}

int SetUp(const StartPlan& plan, int sync_fd, bool unshare_cgroup, ChildReport* report) {
  if (LeaveCallerSession(report) != 0) return -1;
  if (SetUpBeforeMaps(plan, sync_fd, report) != 0) return -1;
  if (WaitFor(sync_fd, SyncTag::kGo) != 0) return Fail(report, errno, "wait for the launcher");
  if (unshare_cgroup && unshare(CLONE_NEWCGROUP) != 0) return Fail(report, errno, "create the cgroup namespace");
  if (BecomeRoot(plan.parent_death_signal, report) != 0) return -1;
  if (JoinNewSessionKeyring(plan.process, report) != 0) return -1;
  if (RunHooks(plan.pre_mount_hooks, report) != 0) return -1;
  UniqueFd root(MountRootfs(plan.rootfs, report));
  if (!root) return -1;
  int pty_fds[kMaxSyncFds];
  int pty_count = plan.console.fd_count();
  if (pty_count > kMaxSyncFds) return Fail(report, E2BIG, "allocate the console and ttys");
  if (BuildRoot(plan, root.get(), pty_fds, report) != 0) return -1;
  int terminal_peer = -1;
  if (OpenTerminal(plan, root.get(), pty_fds, &pty_count, &terminal_peer, report) != 0) return -1;
  if (PivotRoot(root.get(), report) != 0) return -1;
  root.Reset();
  if (ApplyProcessSettings(plan.process, report) != 0) return -1;
  // Before the seccomp filter, which an allowlist profile may make too
  // narrow for TIOCSCTTY and dup2.
  if (terminal_peer >= 0 && TakeTerminal(plan.terminal, terminal_peer, report) != 0) return -1;
  int console_peer = plan.console.fd_count() - 1;
  if (plan.init_on_console &&
      PutConsoleOnStdio(pty_fds[0], pty_fds[console_peer], plan.terminal.size, report) != 0) {
    return -1;
  }
  if (ApplySecurityPlan(plan, sync_fd, report) != 0) return -1;
  if (RunHooks(plan.start_hooks, report) != 0) return -1;
  int sent = SendTag(sync_fd, SyncTag::kReady, pty_fds, pty_count);
  for (int i = 0; i < pty_count; ++i) close(pty_fds[i]);
  if (sent != 0) return Fail(report, errno, "hand the console to the launcher");
  return 0;
}

}  // namespace

void RunContainerChild(const StartPlan& plan, int sync_fd, const sigset_t& payload_mask, bool unshare_cgroup) {
  ChildReport report;
  if (SetUp(plan, sync_fd, unshare_cgroup, &report) != 0) {
    SendReport(sync_fd, report);
    _exit(1);
  }
  RunInit(plan.payload, sync_fd, payload_mask);
}

}  // namespace uxc::launcher

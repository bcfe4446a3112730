#include "launcher/engine/userns_exec.h"

#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher/engine/child_report.h"
#include "launcher/engine/clone.h"
#include "launcher/engine/foreground.h"
#include "launcher/engine/sync.h"

namespace uxc::launcher {
namespace {

// In the child: wait until the parent mapped the ids, become root of the
// namespace and exec. Returns only on failure, with `report` filled.
void RunChild(int sync_fd, char* const* argv, const sigset_t& mask, ChildReport* report) {
  if (WaitFor(sync_fd, SyncTag::kGo) != 0) {
    Fail(report, errno, "wait for the id maps");
    return;
  }
  // The helpers leave setgroups allowed when a subgid range is mapped; with
  // only the caller's own gid it is "deny" and setgroups fails: that is fine.
  if (setgroups(0, nullptr) != 0 && errno != EPERM) {
    Fail(report, errno, "drop supplementary groups");
    return;
  }
  if (setresgid(0, 0, 0) != 0) {
    Fail(report, errno, "become gid 0 in the user namespace", "map a gid at 0 (-m g:0:ID:COUNT)");
    return;
  }
  if (setresuid(0, 0, 0) != 0) {
    Fail(report, errno, "become uid 0 in the user namespace", "map a uid at 0 (-m u:0:ID:COUNT)");
    return;
  }
  sigprocmask(SIG_SETMASK, &mask, nullptr);
  execvp(argv[0], argv);
  Fail(report, errno, "run", argv[0],
       errno == ENOENT ? "is the command on PATH or given with its full path?" : nullptr);
}

}  // namespace

Result<int> RunInUserNamespace(const UsernsExecRequest& request) {
  if (request.argv.empty()) return PlainError("usernsexec: no command to run");
  std::vector<std::string> argv_storage = request.argv;
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  UXC_ASSIGN_OR_RETURN(auto sync, MakeSyncPair());
  ForwardedSignals signals = ForwardedSignals::Block();
  auto cloned = CloneProcess(CLONE_NEWUSER | CLONE_NEWNS);
  if (!cloned.ok()) {
    signals.Restore();
    return cloned.take_error();
  }
  if (cloned->pid == 0) {
    sync.parent.Reset();
    ChildReport report;
    RunChild(sync.child.get(), argv.data(), signals.previous_mask(), &report);
    SendReport(sync.child.get(), report);
    _exit(127);
  }
  sync.child.Reset();

  Status mapped = WriteIdMaps(request.maps, cloned->pid, request.caller, request.helpers);
  if (mapped.ok()) mapped = Send(sync.parent.get(), SyncTag::kGo);
  if (!mapped.ok()) {
    // Closing the socket makes the child's wait fail; it exits at once.
    sync.parent.Reset();
    siginfo_t info;
    waitid(static_cast<idtype_t>(P_PIDFD), cloned->pidfd.get(), &info, WEXITED);
    signals.Restore();
    return mapped.take_error();
  }
  // Either the exec closes the socket (end of stream) or the child reports.
  auto received = Receive(sync.parent.get());
  auto exit = WaitInForeground(cloned->pidfd.get(), signals);
  signals.Restore();
  if (received.ok() && !received->end_of_stream && received->message.tag == SyncTag::kError) {
    return ReportToError(received->message.report);
  }
  if (!exit.ok()) return exit.take_error();
  return ShellStatus(*exit);
}

}  // namespace uxc::launcher

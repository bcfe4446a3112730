#include "launcher/lifecycle/nic_concern.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/rtnetlink.h"
#include "kernel/setuid_helper.h"
#include "launcher/engine/log.h"

namespace uxc::lifecycle {
namespace {

// The words of the helper's refusal when the record is gone already: the
// pair went with the container's network namespace, and the helper culled
// its line before it looked (docs/usernet.md).
constexpr std::string_view kAlreadyGone = "you have no veth";

struct HelperRun {
  kernel::HelperExit exit;
  std::string failure;  // DescribeFailure, when it failed
};

Result<HelperRun> RunHelper(const std::vector<std::string>& argv, int pass_fd, bool capture_stdout) {
  UXC_ASSIGN_OR_RETURN(kernel::RunningHelper helper, kernel::SpawnHelper(argv, pass_fd, capture_stdout));
  UXC_ASSIGN_OR_RETURN(kernel::HelperExit exit, kernel::WaitForHelper(helper));
  HelperRun run{exit, exit.succeeded ? "" : kernel::DescribeFailure(helper, exit)};
  return run;
}

// A network namespace of the caller's own for `delete`, which wants one
// that the caller owns and can open (it finds the pair by its record, not in
// the namespace). The container's may be gone (its monitor was killed), and
// the monitor that holds it is not dumpable, so that the helper, which opens
// the path as the caller, could not open it there: a child in a new user and
// network namespace, until it is killed.
class SpareNetns {
 public:
  static Result<SpareNetns> Make() {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) return ErrnoError("create a pipe");
    pid_t pid = fork();
    if (pid < 0) return ErrnoError("fork");
    if (pid == 0) {
      close(ready[0]);
      if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) _exit(1);
      if (write(ready[1], "r", 1) != 1) _exit(1);
      while (true) pause();
    }
    close(ready[1]);
    char byte;
    ssize_t got = read(ready[0], &byte, 1);
    close(ready[0]);
    SpareNetns spare(pid);
    if (got != 1) return ErrnoError("make a network namespace of your own");
    return spare;
  }
  SpareNetns(SpareNetns&& other) noexcept : pid_(other.pid_) { other.pid_ = -1; }
  ~SpareNetns() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::string Path() const { return "/proc/" + std::to_string(pid_) + "/ns/net"; }

 private:
  explicit SpareNetns(pid_t pid) : pid_(pid) {}
  pid_t pid_;
};

Status RunNetScript(const security::StopHooks& script, const std::string& host_nic) {
  if (script.values.empty()) return OkStatus();
  return security::RunHooks(security::PrepareNetScriptRun(script, host_nic));
}

Status DeleteNic(const AcquiredEntry& entry, const std::string& netns_path) {
  std::vector<std::string> argv = {entry.nic.helper, "delete", "-", "-", netns_path, "veth", entry.nic.bridge,
                                   entry.target};
  UXC_ASSIGN_OR_RETURN(HelperRun run, RunHelper(argv, -1, false));
  if (run.exit.succeeded || run.exit.output.find(kAlreadyGone) != std::string::npos) return OkStatus();
  return PlainError(entry.nic.key + ": release the veth " + entry.target + ": " + run.failure);
}

}  // namespace

const launcher::NicScripts* RecordedNics::ScriptsOf(const launcher::NicPlan& nic) const {
  for (size_t i = 0; i < network_.nics.size() && i < host_.nic_scripts.size(); ++i) {
    if (&network_.nics[i] == &nic) return &host_.nic_scripts[i];
  }
  return nullptr;
}

Result<launcher::AttachedNic> RecordedNics::Attach(const launcher::NicPlan& nic, int netns_fd) {
  const launcher::NicScripts* scripts = ScriptsOf(nic);
  AcquiredEntry intent;
  intent.kind = AcquiredKind::kNic;
  intent.nic = {nic.key(), nic.link, helper_, ""};
  if (scripts != nullptr && !scripts->down.values.empty()) intent.hooks = scripts->down;
  UXC_RETURN_IF_ERROR(record_.Intend(intent));
  // <lxcpath> and <name> are not used (as lxc-user-nic's); `uxc run` has no name.
  std::vector<std::string> argv = {helper_, "create", "-", name_.empty() ? "-" : name_,
                                   "fd:" + std::to_string(netns_fd), "veth", nic.link};
  if (!nic.name.empty()) argv.push_back(nic.name);
  UXC_ASSIGN_OR_RETURN(HelperRun run, RunHelper(argv, netns_fd, true));
  if (!run.exit.succeeded) {
    std::string said = run.exit.output.empty() ? run.failure : run.exit.output;
    return PlainError(nic.key() + ": uxc-user-nic made no veth on " + nic.link + " (" + run.exit.how + "): " + said);
  }
  UXC_ASSIGN_OR_RETURN(launcher::AttachedNic attached, launcher::ParseUserNicOutput(run.exit.stdout_text));
  UXC_RETURN_IF_ERROR(record_.ConfirmLast(AcquiredKind::kNic, [&](AcquiredEntry& entry) {
    entry.target = attached.host_name;
    entry.nic.container_nic = attached.container_name;
  }));
  if (scripts != nullptr) {
    Status up = RunNetScript(scripts->up, attached.host_name);
    if (!up.ok()) return Annotate(up.take_error(), nic.key() + ".script.up");
  }
  return attached;
}

Status ReleaseNic(const AcquiredEntry& entry, StopContext&) {
  // An intent names no pair: if the helper made one, it went with the
  // container's network namespace, and its line goes at the helper's next
  // call.
  if (entry.target.empty()) return OkStatus();
  Status down = RunNetScript(entry.hooks, entry.target);
  UXC_ASSIGN_OR_RETURN(SpareNetns spare, SpareNetns::Make());
  log::Debug("network", entry.nic.key + ": releasing " + entry.target);
  Status deleted = DeleteNic(entry, spare.Path());
  if (!down.ok()) return Annotate(down.take_error(), entry.nic.key + ".script.down");
  return deleted;
}

std::vector<HostLink> HostLinks(const std::string& runtime_dir, const std::vector<Interface>& inside) {
  std::vector<HostLink> links;
  auto record = ReadAcquiredFile(AcquiredRecordPath(runtime_dir));
  if (!record.ok() || !record->has_value()) return links;
  auto netlink = kernel::Rtnetlink::Open();
  for (const AcquiredEntry& entry : (*record)->entries) {
    if (entry.kind != AcquiredKind::kNic || entry.status != AcquiredStatus::kConfirmed) continue;
    HostLink link{entry.target, entry.nic.container_nic, 0, 0};
    auto host = netlink.ok() ? netlink->Link(entry.target) : Result<kernel::LinkInfo>(PlainError("no netlink"));
    if (host.ok()) {
      link.tx_bytes = host->stats.tx_bytes;
      link.rx_bytes = host->stats.rx_bytes;
    } else {
      for (const Interface& peer : inside) {
        if (peer.name != entry.nic.container_nic) continue;
        link.tx_bytes = peer.rx_bytes;
        link.rx_bytes = peer.tx_bytes;
      }
    }
    links.push_back(link);
  }
  return links;
}

}  // namespace uxc::lifecycle

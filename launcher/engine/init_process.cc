#include "launcher/engine/init_process.h"

#include <grp.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <sstream>

#include "launcher/engine/command_line.h"
#include "launcher/engine/config_keys.h"
#include "launcher/engine/sync.h"

extern char** environ;

namespace uxc::launcher {
namespace {

constexpr int kForwardedToPayload[] = {SIGHUP,  SIGINT,  SIGQUIT,  SIGTERM,
                                       SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};

Result<uint32_t> ParseId(const config::ContainerConfig& config, const std::string& key,
                         const std::string& text) {
  uint32_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) {
    return KeyError(config, key, "expected a numeric id inside the container, e.g. 1000");
  }
  return id;
}

Status CheckMapped(const config::ContainerConfig& config, const std::string& key,
                   const std::vector<IdMapLine>& lines, uint32_t id, const char* kind) {
  if (OutsideIdOf(lines, id)) return OkStatus();
  return KeyError(
      config, key,
      std::string(kind) + " " + std::to_string(id) +
          " is not mapped in the container; add it to lxc.idmap or choose a mapped one");
}

// Reaps every child; returns true when `payload` was among them, with its
// status in `status`.
bool ReapChildren(pid_t payload, int* status) {
  bool payload_done = false;
  for (;;) {
    int child_status = 0;
    pid_t pid = waitpid(-1, &child_status, WNOHANG);
    if (pid <= 0) return payload_done;
    if (pid == payload) {
      payload_done = true;
      *status = child_status;
    }
  }
}

int ShellStatusOf(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Without sigwaitinfo (a seccomp allowlist may deny rt_sigtimedwait), the
// init can still reap: it blocks in waitpid and forwards nothing.
[[noreturn]] void ReapUntilPayloadExits(pid_t payload) {
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid == payload) _exit(ShellStatusOf(status));
    if (pid < 0 && errno != EINTR) _exit(126);
  }
}

void CloseFdsExcept(int keep) {
  if (keep > 3) close_range(3, keep - 1, 0);
  close_range(keep + 1, ~0U, 0);
}

}  // namespace

void PayloadPlan::Seal() {
  argv_pointers.clear();
  for (std::string& arg : argv) argv_pointers.push_back(arg.data());
  argv_pointers.push_back(nullptr);
  env_pointers.clear();
  for (std::string& entry : env) env_pointers.push_back(entry.data());
  env_pointers.push_back(nullptr);
}

Result<PayloadPlan> PlanPayload(const config::ContainerConfig& config,
                                const std::vector<std::string>& command,
                                const std::string& command_key,
                                const std::vector<std::string>& fallback,
                                std::vector<std::string> env, const IdMapPlan& maps) {
  PayloadPlan plan;
  plan.argv = command;
  if (plan.argv.empty()) {
    if (auto configured = config.Get(command_key)) {
      auto words = SplitCommandLine(*configured);
      if (!words.ok()) return KeyError(config, command_key, words.error().ToString());
      plan.argv = std::move(*words);
    }
  }
  if (plan.argv.empty()) plan.argv = fallback;
  if (plan.argv.empty()) {
    return PlainError("no command to run: give one after --, or set " + command_key);
  }
  plan.env = std::move(env);
  if (auto uid = config.Get("lxc.init.uid")) {
    UXC_ASSIGN_OR_RETURN(auto parsed, ParseId(config, "lxc.init.uid", *uid));
    plan.uid = parsed;
  }
  if (auto gid = config.Get("lxc.init.gid")) {
    UXC_ASSIGN_OR_RETURN(auto parsed, ParseId(config, "lxc.init.gid", *gid));
    plan.gid = parsed;
  }
  UXC_RETURN_IF_ERROR(CheckMapped(config, "lxc.init.uid", maps.uids, plan.uid, "uid"));
  UXC_RETURN_IF_ERROR(CheckMapped(config, "lxc.init.gid", maps.gids, plan.gid, "gid"));
  // lxc.init.groups accumulates over lines, each a comma-separated list.
  for (const std::string& groups : config.GetList("lxc.init.groups")) {
    std::istringstream list(groups);
    std::string item;
    while (std::getline(list, item, ',')) {
      size_t start = item.find_first_not_of(' ');
      if (start == std::string::npos) continue;
      item = item.substr(start, item.find_last_not_of(' ') - start + 1);
      UXC_ASSIGN_OR_RETURN(auto parsed, ParseId(config, "lxc.init.groups", item));
      UXC_RETURN_IF_ERROR(CheckMapped(config, "lxc.init.groups", maps.gids, parsed, "gid"));
      plan.groups.push_back(parsed);
    }
  }
  plan.cwd = config.GetOr("lxc.init.cwd", "/");
  if (plan.cwd.empty() || plan.cwd[0] != '/') {
    return KeyError(config, "lxc.init.cwd", "must be an absolute path inside the container");
  }
  plan.Seal();
  return plan;
}

void ExecPayload(const PayloadPlan& payload, const sigset_t& payload_mask, ChildReport* report) {
  // setgroups(2) fails with EPERM when /proc/self/setgroups is "deny" (only
  // the caller's own gid mapped); an empty list is then already the case.
  if (setgroups(payload.groups.size(), payload.groups.data()) != 0 &&
      !(errno == EPERM && payload.groups.empty())) {
    Fail(report, errno, "set the supplementary groups (lxc.init.groups)");
    return;
  }
  if (setresgid(payload.gid, payload.gid, payload.gid) != 0) {
    Fail(report, errno, "switch to lxc.init.gid");
    return;
  }
  if (setresuid(payload.uid, payload.uid, payload.uid) != 0) {
    Fail(report, errno, "switch to lxc.init.uid");
    return;
  }
  // A credential change sets dumpable to fs.suid_dumpable, which may be 1
  // (prctl(2)): this is still uxc, in the container, until the exec.
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (chdir(payload.cwd.c_str()) != 0) {
    Fail(report, errno, "enter the working directory", payload.cwd.c_str(),
         "set lxc.init.cwd to a directory that exists in the container");
    return;
  }
  for (int signal : kForwardedToPayload) ::signal(signal, SIG_DFL);
  sigprocmask(SIG_SETMASK, &payload_mask, nullptr);
  // The id switch above cleared the parent-death signal (prctl(2)); a
  // system container's init must still die with its monitor.
  if (payload.as_pid1) prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  environ = const_cast<char**>(payload.env_pointers.data());
  execvp(payload.argv_pointers[0], payload.argv_pointers.data());
  int error = errno;
  Fail(report, error, "run", payload.argv_pointers[0],
       error == ENOENT   ? "no such command in the container (PATH is searched inside it)"
       : error == EACCES ? "the file is not executable for lxc.init.uid"
                         : nullptr);
}

[[noreturn]] void RunInit(const PayloadPlan& payload, int sync_fd, const sigset_t& payload_mask) {
  sigset_t waited;
  sigemptyset(&waited);
  for (int signal : kForwardedToPayload) sigaddset(&waited, signal);
  sigaddset(&waited, SIGCHLD);
  sigprocmask(SIG_BLOCK, &waited, nullptr);
  // Nothing of the launcher's (the old root, the rootfs's host path, fds
  // the caller passed on) may reach the container through its pid 1.
  CloseFdsExcept(sync_fd);
  if (payload.as_pid1) {
    ChildReport report;
    ExecPayload(payload, payload_mask, &report);
    SendReport(sync_fd, report);
    _exit(report.errno_value == ENOENT ? 127 : 126);
  }
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

  pid_t child = fork();
  if (child < 0) {
    ChildReport report;
    Fail(&report, errno, "fork the container's command");
    SendReport(sync_fd, report);
    _exit(126);
  }
  if (child == 0) {
    ChildReport report;
    ExecPayload(payload, payload_mask, &report);
    SendReport(sync_fd, report);
    _exit(report.errno_value == ENOENT ? 127 : 126);
  }
  close(sync_fd);
  for (;;) {
    siginfo_t info;
    int signal = sigwaitinfo(&waited, &info);
    if (signal < 0) {
      if (errno == EINTR) continue;
      ReapUntilPayloadExits(child);
    }
    if (signal == SIGCHLD) {
      int status = 0;
      if (ReapChildren(child, &status)) _exit(ShellStatusOf(status));
      continue;
    }
    // The terminal sends its signals to the whole foreground process group,
    // which the payload is part of: forward only what was sent to us.
    if (info.si_code != SI_KERNEL) kill(child, signal);
  }
}

}  // namespace uxc::launcher

#include "launcher/cli/attach.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "base/close_fds.h"
#include "base/rootfs_file.h"
#include "config/container_config.h"
#include "launcher/cli/attach_security.h"
#include "launcher/cli/attach_target.h"
#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/engine/config_keys.h"
#include "launcher/engine/container_pty.h"
#include "launcher/engine/foreground.h"
#include "launcher/engine/process_settings.h"
#include "launcher/engine/namespaces.h"
#include "launcher/engine/sync.h"
#include "launcher/engine/terminal.h"

extern char** environ;

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = ContainerOptions({
      {"clear-env", 0, false, false, "", "start from a clean environment (the default)"},
      {"keep-env", 0, false, false, "", "keep this environment (all of it: secrets too)"},
      {"keep-var", 0, true, true, "NAME", "with the clean environment, keep this variable; repeatable"},
      {"set-var", 'v', true, true, "KEY=VALUE", "set a variable; repeatable"},
      {"uid", 'u', true, false, "UID", "run as UID in the container (default 0)"},
      {"gid", 'g', true, false, "GID", "run as GID in the container (default 0)"},
      {"cwd", 0, true, false, "DIR", "the working directory (default: the user's home, else /)"},
  });
  return kOptions;
}

int Fail(const Error& error) { return FailWith("attach", error); }

// The namespaces of `pid` that differ from ours: setns(2) refuses to
// "enter" the user namespace one is already in (EINVAL).
int DifferingNamespaces(pid_t pid) {
  int flags = 0;
  for (const launcher::NamespaceInfo& ns : launcher::KnownNamespaces()) {
    struct stat ours, theirs;
    if (stat((std::string("/proc/self/ns/") + ns.proc_name).c_str(), &ours) != 0) continue;
    if (stat(("/proc/" + std::to_string(pid) + "/ns/" + ns.proc_name).c_str(), &theirs) != 0) continue;
    if (ours.st_ino != theirs.st_ino || ours.st_dev != theirs.st_dev) flags |= static_cast<int>(ns.clone_flag);
  }
  return flags;
}

struct PasswdEntry {
  std::string name = "root";
  std::string home = "/";
  std::string shell = "/bin/sh";
};

// The most of the container's /etc/passwd that attach reads.
constexpr size_t kMaxPasswdBytes = 8 << 20;

// The container's /etc/passwd entry of `uid` (read after entering its mount
// namespace; parsed here rather than through NSS, which would load the
// container's libraries into this process). The container made the file:
// it is read as base/rootfs_file.h reads, and when it cannot be, attach
// says why and goes on with the defaults.
PasswdEntry LookUp(uid_t uid) {
  PasswdEntry entry;
  if (uid != 0) entry.name = std::to_string(uid);
  UniqueFd root(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  auto text = ReadRootfsFile(root.get(), "the container's ", "/etc/passwd", kMaxPasswdBytes);
  if (!text.ok()) {
    std::fprintf(stderr, "uxc attach: warning: %s; using the user %s, home %s, shell %s\n",
                 text.error().ToString().c_str(), entry.name.c_str(), entry.home.c_str(), entry.shell.c_str());
    return entry;
  }
  std::istringstream passwd(*text);
  std::string line;
  while (std::getline(passwd, line)) {
    std::vector<std::string> fields;
    size_t start = 0;
    for (size_t colon; (colon = line.find(':', start)) != std::string::npos; start = colon + 1) {
      fields.push_back(line.substr(start, colon - start));
    }
    fields.push_back(line.substr(start));
    if (fields.size() < 7 || fields[2] != std::to_string(uid)) continue;
    entry.name = fields[0];
    if (!fields[5].empty()) entry.home = fields[5];
    if (!fields[6].empty()) entry.shell = fields[6];
    return entry;
  }
  return entry;
}

std::vector<std::string> Environment(const ParsedArgs& parsed, const config::ContainerConfig& config,
                                     const PasswdEntry& user) {
  std::vector<std::string> env;
  if (parsed.Has("keep-env")) {
    for (char** entry = environ; *entry != nullptr; ++entry) env.emplace_back(*entry);
  } else {
    env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + user.home,
           "USER=" + user.name, "LOGNAME=" + user.name, "SHELL=" + user.shell};
    if (const char* term = std::getenv("TERM")) env.push_back(std::string("TERM=") + term);
    for (const std::string& name : parsed.Values("keep-var")) {
      if (const char* value = std::getenv(name.c_str())) env.push_back(name + "=" + value);
    }
  }
  env.push_back("container=lxc");
  for (const std::string& variable : config.GetList("lxc.environment")) {
    if (variable.find('=') != std::string::npos) {
      env.push_back(variable);
    } else if (const char* value = std::getenv(variable.c_str())) {
      env.push_back(variable + "=" + value);
    }
  }
  for (const std::string& variable : parsed.Values("set-var")) env.push_back(variable);
  return env;
}

Result<uid_t> IdOption(const ParsedArgs& parsed, const std::string& option) {
  std::string text = parsed.Value(option, "0");
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos || text.size() > 9) {
    return PlainError("--" + option + " takes a number, not \"" + text + "\"");
  }
  return static_cast<uid_t>(std::stoul(text));
}

// In the forked child, inside every namespace: become the user and run.
// The command gets a session of its own, so it has no controlling terminal
// but the pty made for it: never the user's, which TIOCSTI could fill with
// commands for the user's shell (CVE-2016-10124, CVE-2017-5226). It gets
// stdio and nothing else of this process's fds, and the signal mask the
// user had.
[[noreturn]] void RunCommand(std::vector<std::string> command, const std::vector<std::string>& env,
                             const std::string& cwd, const launcher::TerminalPlan& terminal, UniqueFd pty,
                             const launcher::ForwardedSignals& signals) {
  if (setsid() < 0) {
    std::fprintf(stderr, "uxc attach: cannot start a session for the command: %m\n");
    _exit(126);
  }
  launcher::ChildReport report;
  if (pty && launcher::TakeTerminal(terminal, pty.Release(), &report) != 0) {
    std::fprintf(stderr, "uxc attach: %s\n", launcher::ReportToError(report).ToString().c_str());
    _exit(126);
  }
  if (CloseFdsExcept({}) != 0) {
    std::fprintf(stderr, "uxc attach: cannot close the fds the command must not get: %m\n");
    _exit(126);
  }
  std::vector<char*> argv, envp;
  for (std::string& word : command) argv.push_back(word.data());
  argv.push_back(nullptr);
  for (const std::string& variable : env) envp.push_back(const_cast<char*>(variable.c_str()));
  envp.push_back(nullptr);
  if (chdir(cwd.c_str()) != 0 && chdir("/") != 0) {
    std::fprintf(stderr, "uxc attach: cannot enter %s in the container: %m\n", cwd.c_str());
    _exit(126);
  }
  environ = envp.data();
  signals.Restore();
  execvp(argv[0], argv.data());
  int error = errno;
  std::fprintf(stderr, "uxc attach: cannot run %s in the container: %s\n", argv[0], strerror(error));
  _exit(error == ENOENT ? 127 : 126);
}

// As the init does (lxc.keyring.session, default on): the command gets a
// new session keyring, not the user's, whose keys it would possess
// (keyrings(7)), as runc's exec does.
int JoinOwnSessionKeyring(const config::ContainerConfig& config) {
  auto wanted = launcher::GetBool(config, "lxc.keyring.session", true);
  if (!wanted.ok()) return Fail(wanted.error());
  if (!*wanted || launcher::JoinAnonymousSessionKeyring() == 0) return 0;
  return Fail(ErrnoError("create a session keyring (lxc.keyring.session)"));
}

// As the container's init is (container_child.cc): uid and gid 0 of the
// container, no supplementary group, not dumpable (a credential change
// resets it to fs.suid_dumpable, prctl(2)).
Status BecomeContainerRoot() {
  if (setgroups(0, nullptr) != 0 && errno != EPERM) return ErrnoError("drop supplementary groups");
  if (setresgid(0, 0, 0) != 0) return ErrnoError("become gid 0 of the container");
  if (setresuid(0, 0, 0) != 0) return ErrnoError("become uid 0 of the container");
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return ErrnoError("make the attaching process non-dumpable");
  return OkStatus();
}

// The command's pty, from the container's own devpts (container_pty.h), as
// lxc-attach allocates it: `tty` inside names it, and su, sudo and tmux
// find it. Made by container root, it becomes `uid`'s, as login(1) gives
// a terminal to its user (the group stays the devpts's: tty, when mapped).
// The multiplexer goes to the process outside, which relays it; an error
// goes there too, as a report. Returns the peer, or an invalid fd.
UniqueFd OpenCommandPty(const launcher::TerminalPlan& terminal, uid_t uid, int channel) {
  const char* hint =
      "attach's pty comes from the container's devpts on /dev/pts, which must be there and "
      "unhidden; attach with stdin not a terminal (e.g. </dev/null) to run without a pty";
  launcher::ChildReport report;
  launcher::ContainerPty pty;
  UniqueFd root(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) {
    launcher::Fail(&report, errno, "open the container's root for its pty");
  } else if (launcher::OpenContainerPty(root.get(), terminal.size, "the attached command", hint, &pty,
                                        &report) == 0) {
    UniqueFd multiplexer(pty.multiplexer), peer(pty.peer);
    if (fchown(peer.get(), uid, static_cast<gid_t>(-1)) != 0) {
      launcher::Fail(&report, errno, "give the attached command's pty to its uid");
    } else if (launcher::SendTag(channel, launcher::SyncTag::kReady, &pty.multiplexer, 1) == 0) {
      return peer;
    } else {
      launcher::Fail(&report, errno, "hand the attached command's pty to uxc outside");
    }
  }
  (void)launcher::SendReport(channel, report);
  return UniqueFd();
}

// Waits for the command, forwarding to it what the process outside
// forwards here (not what the user's terminal sent this process group: the
// command, in a session of its own, did not get that, and the process
// outside forwards it). Without a pidfd or a signalfd, which a seccomp
// allowlist may refuse, it only waits.
int WaitForCommand(pid_t child, const launcher::ForwardedSignals& signals) {
  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, child, 0)));
  if (pidfd) {
    auto status = launcher::WaitInForeground(pidfd.get(), signals);
    if (status.ok()) return launcher::ShellStatus(*status);
  }
  siginfo_t info;
  while (waitid(P_PID, child, &info, WEXITED) != 0) {
    if (errno != EINTR) return Fail(ErrnoError("wait for the command"));
  }
  return launcher::ShellStatus(info);
}

// The entering child: joins the namespaces of `pid` (one setns(pidfd,
// flags), Linux 5.8), which gives it every capability in the container's
// user namespace (user_namespaces(7)); becomes the container's root and
// makes the command's pty; confines itself as the container's init is,
// while it still has CAP_SETPCAP there; becomes UID/GID, forks the command
// and returns its shell status.
//
// Until the command's exec, this process and the command's are uxc, with
// the user's environment in memory, among the container's processes (the
// command's in its pid namespace). Not dumpable, they stay out of container
// root's reach: their mm comes from an exec on the host, so /proc/PID/mem,
// environ, fd, exe and ptrace need CAP_SYS_PTRACE in the host's user
// namespace (ptrace(2)). Dumpable is cleared before setns, as lxc-attach
// does, and again after each credential change, which resets it to
// fs.suid_dumpable (prctl(2)).
int EnterAndRun(const ParsedArgs& parsed, const config::ContainerConfig& config,
                const security::SecurityPlan& security, std::vector<std::string> command, int pidfd, pid_t pid,
                uid_t uid, gid_t gid, const launcher::TerminalPlan& terminal, int channel,
                const launcher::ForwardedSignals& signals, const std::string& name) {
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return Fail(ErrnoError("make the attaching process non-dumpable"));
  if (CloseFdsExcept({pidfd, channel}) != 0) return Fail(ErrnoError("close the fds the container must not get"));
  if (setns(pidfd, DifferingNamespaces(pid)) != 0) {
    return Fail(ErrnoError("enter the namespaces of container '" + name + "'"));
  }
  if (Status root = BecomeContainerRoot(); !root.ok()) return Fail(root.error());
  // Before the seccomp filter, which may refuse keyctl (LXC's common profile does).
  if (JoinOwnSessionKeyring(config) != 0) return 1;
  UniqueFd pty;
  if (terminal.enabled && !(pty = OpenCommandPty(terminal, uid, channel))) return 1;
  close(channel);
  launcher::ChildReport step;
  if (security::ApplySecurity(security, &step) != 0) {
    return Fail(Annotate(launcher::ReportToError(step), "container '" + name + "'"));
  }
  if (setresgid(gid, gid, gid) != 0) return Fail(ErrnoError("become gid " + std::to_string(gid)));
  if (setresuid(uid, uid, uid) != 0) return Fail(ErrnoError("become uid " + std::to_string(uid)));
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return Fail(ErrnoError("make the attaching process non-dumpable"));
  PasswdEntry user = LookUp(uid);
  std::vector<std::string> env = Environment(parsed, config, user);
  if (command.empty()) command = {user.shell};
  std::string cwd = parsed.Value("cwd", user.home);
  pid_t child = fork();
  if (child < 0) return Fail(ErrnoError("fork"));
  if (child == 0) RunCommand(command, env, cwd, terminal, std::move(pty), signals);
  pty.Reset();
  return WaitForCommand(child, signals);
}

// The outside's side of the terminal: the multiplexer of the command's pty,
// relayed as `uxc run` relays its payload's (terminal_relay.h); or, when the
// entering child could not make it, why.
Result<launcher::TerminalRelay> ReceiveCommandPty(int channel) {
  UXC_ASSIGN_OR_RETURN(auto received, launcher::Receive(channel));
  if (received.end_of_stream) return launcher::TerminalRelay();  // it failed and said why
  if (received.message.tag == launcher::SyncTag::kError) return launcher::ReportToError(received.message.report);
  if (received.message.tag != launcher::SyncTag::kReady || received.fds.size() != 1) {
    return PlainError("the attaching process sent no pty");
  }
  return launcher::TerminalRelay(std::move(received.fds[0]));
}

}  // namespace

int RunAttach(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("attach", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("attach", "NAME [-P DIR] [--clear-env [--keep-var NAME]... | --keep-env] [-u UID] [--cwd DIR] [-- CMD [ARGS]]",
                          "Runs CMD (default: the user's shell from the container's /etc/passwd) in every "
                          "namespace of the running container, with the container's environment; exits "
                          "with CMD's status.",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  if (auto refused = RefuseBadName("attach", *parsed)) return *refused;
  std::vector<std::string> rest;
  auto ref = NamedContainer(*parsed, "attach", &rest);
  if (!ref.ok()) return Fail(ref.error());
  rest.insert(rest.end(), parsed->after_dashdash.begin(), parsed->after_dashdash.end());
  auto uid = IdOption(*parsed, "uid");
  if (!uid.ok()) return Fail(uid.error());
  auto gid = IdOption(*parsed, "gid");
  if (!gid.ok()) return Fail(gid.error());
  auto status = lifecycle::ProbeContainer(*ref);
  if (!status.ok()) return Fail(status.error());
  if (status->state != lifecycle::RunState::kRunning) {
    return Fail(PlainError("container '" + ref->name + "' is not running (start it with `uxc start " +
                           ref->name + "`)"));
  }
  // The config on disk, as lxc-attach reads it; without it the attached
  // process could not be confined, so an error here stops the attach.
  auto config = config::LoadContainerConfig(config::StandardLayers(ref->config_file));
  if (!config.ok()) return Fail(config.error());
  pid_t pid = status->details.init_pid;
  auto security = PlanAttachSecurity(*config, pid);
  if (!security.ok()) return Fail(Annotate(security.take_error(), "confine the attached process"));
  launcher::TerminalPlan terminal = launcher::PlanTerminal();
  auto target = OpenAttachTarget(pid);
  if (!target.ok()) return Fail(Annotate(target.take_error(), "container '" + ref->name + "'"));
  auto channel = launcher::MakeSyncPair();
  if (!channel.ok()) return Fail(channel.error());
  // This process stays outside the container (it relays the pty, forwards
  // signals and reports the status); a child enters and forks the command,
  // since the pid namespace applies to children only (setns(2)).
  launcher::ForwardedSignals signals = launcher::ForwardedSignals::Block();
  pid_t entering = fork();
  if (entering < 0) return Fail(ErrnoError("fork"));
  if (entering == 0) {
    channel->parent.Reset();
    _exit(EnterAndRun(*parsed, *config, *security, rest, target->pidfd.get(), target->pid, *uid, *gid,
                      terminal, channel->child.get(), signals, ref->name));
  }
  channel->child.Reset();
  UniqueFd entering_pidfd(static_cast<int>(syscall(SYS_pidfd_open, entering, 0)));
  if (!entering_pidfd) return Fail(ErrnoError("open a pidfd for the attaching process"));
  launcher::ForegroundConsole console;
  console.own_session = true;  // the command's session is its own: signals reach it through uxc
  if (terminal.enabled) {
    auto relay = ReceiveCommandPty(channel->parent.get());
    if (!relay.ok()) (void)Fail(Annotate(relay.take_error(), "container '" + ref->name + "'"));
    if (relay.ok()) console.terminal = std::move(*relay);
  }
  auto exit = launcher::WaitInForeground(entering_pidfd.get(), signals, &console);
  signals.Restore();
  if (!exit.ok()) return Fail(exit.error());
  return launcher::ShellStatus(*exit);
}

}  // namespace uxc::cli

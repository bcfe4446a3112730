#include "launcher/cli/attach.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <termios.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "base/rootfs_file.h"

#include "base/close_fds.h"
#include "base/write_all.h"
#include "config/container_config.h"
#include "launcher/cli/attach_security.h"
#include "launcher/cli/attach_target.h"
#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/foreground.h"
#include "launcher/namespaces.h"

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

// A pty for the command when stdin is a terminal, so that job control and
// line editing work inside; made before entering the container, on the
// host's devpts, as lxc-attach does.
struct AttachPty {
  UniqueFd multiplexer;
  UniqueFd terminal;
};

Result<AttachPty> OpenAttachPty() {
  winsize size = {};
  ioctl(STDIN_FILENO, TIOCGWINSZ, &size);
  int multiplexer = -1, terminal = -1;
  if (openpty(&multiplexer, &terminal, nullptr, nullptr, size.ws_col > 0 ? &size : nullptr) != 0) {
    return ErrnoError("allocate a pty");
  }
  AttachPty pty{UniqueFd(multiplexer), UniqueFd(terminal)};
  fcntl(multiplexer, F_SETFD, FD_CLOEXEC);
  fcntl(terminal, F_SETFD, FD_CLOEXEC);
  return pty;
}

// Copies the terminal to the pty and back, in raw mode, until the command
// closes its side (reads then fail with EIO).
void RelayTerminal(int multiplexer) {
  termios saved = {};
  bool raw = tcgetattr(STDIN_FILENO, &saved) == 0;
  if (raw) {
    termios mode = saved;
    cfmakeraw(&mode);
    tcsetattr(STDIN_FILENO, TCSANOW, &mode);
  }
  bool stdin_open = true;
  char buffer[4096];
  for (;;) {
    pollfd fds[2] = {{stdin_open ? STDIN_FILENO : -1, POLLIN, 0}, {multiplexer, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[1].revents != 0) {
      ssize_t n = read(multiplexer, buffer, sizeof buffer);
      if (n <= 0) break;
      (void)WriteAll(STDOUT_FILENO, std::string_view(buffer, n));
    }
    if (fds[0].revents != 0) {
      ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
      if (n <= 0) {
        stdin_open = false;
      } else {
        (void)WriteAll(multiplexer, std::string_view(buffer, n));
      }
    }
  }
  if (raw) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
}

// In the forked child, inside every namespace: become the user and run.
// The command gets a session of its own, so it has no controlling terminal
// but the pty made for it: never the user's, which TIOCSTI could fill with
// commands for the user's shell (CVE-2016-10124, CVE-2017-5226). It gets
// stdio and nothing else of this process's fds.
[[noreturn]] void RunCommand(std::vector<std::string> command, const std::vector<std::string>& env,
                             const std::string& cwd, int terminal) {
  if (setsid() < 0) {
    std::fprintf(stderr, "uxc attach: cannot start a session for the command: %m\n");
    _exit(126);
  }
  if (terminal >= 0) {
    ioctl(terminal, TIOCSCTTY, 0);
    for (int fd = 0; fd <= 2; ++fd) dup2(terminal, fd);
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
  execvp(argv[0], argv.data());
  int error = errno;
  std::fprintf(stderr, "uxc attach: cannot run %s in the container: %s\n", argv[0], strerror(error));
  _exit(error == ENOENT ? 127 : 126);
}

// The entering child: joins the namespaces of `pid` (one setns(pidfd,
// flags), Linux 5.8), which gives it every capability in the container's
// user namespace (user_namespaces(7)); confines itself as the container's
// init is, while it still has CAP_SETPCAP there; becomes UID/GID, forks the
// command and returns its shell status.
//
// Until the command's exec, this process and the command's are uxc, with
// the user's environment in memory, among the container's processes (the
// command's in its pid namespace). Not dumpable, they stay out of container
// root's reach: their mm comes from an exec on the host, so /proc/PID/mem,
// environ, fd, exe and ptrace need CAP_SYS_PTRACE in the host's user
// namespace (ptrace(2)). Dumpable is cleared before setns, as lxc-attach
// does, and again after the credential change, which resets it to
// fs.suid_dumpable (prctl(2)).
int EnterAndRun(const ParsedArgs& parsed, const config::ContainerConfig& config,
                const security::SecurityPlan& security, std::vector<std::string> command, int pidfd, pid_t pid,
                uid_t uid, gid_t gid, int terminal, const std::string& name) {
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return Fail(ErrnoError("make the attaching process non-dumpable"));
  if (CloseFdsExcept({pidfd, terminal}) != 0) return Fail(ErrnoError("close the fds the container must not get"));
  if (setns(pidfd, DifferingNamespaces(pid)) != 0) {
    return Fail(ErrnoError("enter the namespaces of container '" + name + "'"));
  }
  char step[256];
  if (security::ApplySecurity(security, step, sizeof step) != 0) {
    return Fail(ErrnoError(std::string(step) + " in container '" + name + "'"));
  }
  if (setgroups(0, nullptr) != 0 && errno != EPERM) return Fail(ErrnoError("drop supplementary groups"));
  if (setresgid(gid, gid, gid) != 0) return Fail(ErrnoError("become gid " + std::to_string(gid)));
  if (setresuid(uid, uid, uid) != 0) return Fail(ErrnoError("become uid " + std::to_string(uid)));
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) return Fail(ErrnoError("make the attaching process non-dumpable"));
  PasswdEntry user = LookUp(uid);
  std::vector<std::string> env = Environment(parsed, config, user);
  if (command.empty()) command = {user.shell};
  std::string cwd = parsed.Value("cwd", user.home);
  pid_t child = fork();
  if (child < 0) return Fail(ErrnoError("fork"));
  if (child == 0) RunCommand(command, env, cwd, terminal);
  siginfo_t info;
  while (waitid(P_PID, child, &info, WEXITED) != 0) {
    if (errno != EINTR) return Fail(ErrnoError("wait for the command"));
  }
  return launcher::ShellStatus(info);
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
  AttachPty pty;
  if (isatty(STDIN_FILENO) == 1) {
    auto opened = OpenAttachPty();
    if (!opened.ok()) return Fail(opened.error());
    pty = std::move(*opened);
  }
  auto target = OpenAttachTarget(pid);
  if (!target.ok()) return Fail(Annotate(target.take_error(), "container '" + ref->name + "'"));
  // This process stays outside the container (it relays the pty and
  // reports the status); a child enters and forks the command, since the
  // pid namespace applies to children only (setns(2)).
  pid_t entering = fork();
  if (entering < 0) return Fail(ErrnoError("fork"));
  if (entering == 0) {
    pty.multiplexer.Reset();
    _exit(EnterAndRun(*parsed, *config, *security, rest, target->pidfd.get(), target->pid, *uid, *gid,
                      pty.terminal.get(), ref->name));
  }
  if (pty.multiplexer) {
    pty.terminal.Reset();
    RelayTerminal(pty.multiplexer.get());
  }
  siginfo_t info;
  while (waitid(P_PID, entering, &info, WEXITED) != 0) {
    if (errno != EINTR) return Fail(ErrnoError("wait for the command"));
  }
  return launcher::ShellStatus(info);
}

}  // namespace uxc::cli

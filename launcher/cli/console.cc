#include "launcher/cli/console.h"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>

#include "base/write_all.h"
#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/lifecycle/control_socket.h"
#include "launcher/lifecycle/last_exit.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = ContainerOptions({
      {"tty", 't', true, false, "N", "the tty: 0 for the console (default), 1.. for ttyN"},
      {"escape", 'e', true, false, "KEY", "the escape key: Ctrl+KEY (default a); Ctrl+KEY q detaches"},
      {"tail", 0, false, false, "",
       "print what the console printed last (while it runs, or in its last run) and exit"},
  });
  return kOptions;
}

int Fail(const Error& error) { return FailWith("console", error); }

// Puts the terminal in raw mode for as long as it lives.
class RawTerminal {
 public:
  RawTerminal() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios raw = saved_;
    cfmakeraw(&raw);
    // TCSANOW, not TCSAFLUSH: keys typed before this point are the user's.
    active_ = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }

 private:
  termios saved_ = {};
  bool active_ = false;
};

// Copies stdin to the pty and the pty to stdout until Ctrl+KEY q, or the
// monitor closes the control socket (the container stopped). Returns
// whether the user detached.
bool Relay(int pty, int control, char escape) {
  bool escaped = false;
  bool stdin_open = true;
  for (;;) {
    pollfd fds[3] = {{stdin_open ? STDIN_FILENO : -1, POLLIN, 0}, {pty, POLLIN, 0}, {control, POLLIN, 0}};
    if (poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (fds[2].revents != 0) return false;
    char buffer[4096];
    if (fds[1].revents != 0) {
      ssize_t n = read(pty, buffer, sizeof buffer);
      if (n > 0) {
        (void)WriteAll(STDOUT_FILENO, std::string_view(buffer, n));
      } else if (n < 0 && errno == EIO) {
        // No process has the tty open (a getty respawning); wait for one.
        usleep(100 * 1000);
      }
    }
    if (fds[0].revents != 0) {
      ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
      if (n <= 0) {
        stdin_open = false;
        continue;
      }
      std::string out;
      for (ssize_t i = 0; i < n; ++i) {
        char c = buffer[i];
        if (escaped) {
          escaped = false;
          if (c == 'q') {
            (void)WriteAll(pty, out);
            return true;
          }
          if (c != escape) out += escape;
          out += c;
        } else if (c == escape) {
          escaped = true;
        } else {
          out += c;
        }
      }
      (void)WriteAll(pty, out);
    }
  }
}

// --tail: the console's last output: the monitor's ring while the
// container runs, else what the last run left (last_exit.h).
int PrintTail(const lifecycle::ContainerRef& ref) {
  auto status = lifecycle::ProbeContainer(ref);
  if (!status.ok()) return Fail(status.error());
  std::string tail;
  if (status->state == lifecycle::RunState::kRunning) {
    auto control = lifecycle::ConnectMonitor(ref);
    if (!control.ok()) return Fail(control.error());
    auto answer = lifecycle::Ask(control->get(), "tail");
    if (!answer.ok()) return Fail(answer.error());
    size_t size = std::strtoul(answer->c_str() + 3, nullptr, 10);
    if (!answer->starts_with("ok ") || size > (size_t{1} << 30)) {
      return Fail(PlainError("the monitor's answer is malformed"));
    }
    auto bytes = lifecycle::ReceiveBytes(control->get(), size);
    if (!bytes.ok()) return Fail(bytes.error());
    tail = std::move(*bytes);
  } else {
    auto last = lifecycle::ReadLastConsole(ref.container_dir);
    if (!last.ok()) return Fail(last.error());
    tail = std::move(*last);
  }
  Status written = WriteAll(STDOUT_FILENO, tail);
  return written.ok() ? 0 : Fail(written.error());
}

}  // namespace

int RunConsole(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("console", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("console", "NAME [-P DIR] [-t N] [-e KEY] | NAME --tail",
                          "Attaches this terminal to the container's console (or ttyN), replaying what "
                          "the console printed before. Ctrl+a q detaches; Ctrl+a Ctrl+a sends Ctrl+a. "
                          "--tail prints the console's last output instead, also after the container stopped.",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  if (auto refused = RefuseBadName("console", *parsed)) return *refused;
  auto ref = NamedContainer(*parsed, "console");
  if (!ref.ok()) return Fail(ref.error());
  if (parsed->Has("tail")) return PrintTail(*ref);
  std::string tty = parsed->Value("tty", "0");
  std::string key = parsed->Value("escape", "a");
  if (key.size() != 1 || !std::isalpha(static_cast<unsigned char>(key[0]))) {
    return Fail(UsageErrorFor("console", "-e takes one letter (Ctrl+LETTER is the escape), not \"" + key + "\""));
  }
  char escape = static_cast<char>(std::tolower(key[0]) - 'a' + 1);
  auto control = lifecycle::ConnectMonitor(*ref);
  if (!control.ok()) return Fail(control.error());
  UniqueFd pty;
  auto answer = lifecycle::Ask(control->get(), "console " + tty, &pty);
  if (!answer.ok()) return Fail(answer.error());
  if (!answer->starts_with("ok ") || !pty) return Fail(PlainError("the monitor's answer is malformed"));
  auto replay = lifecycle::ReceiveBytes(control->get(), std::strtoul(answer->c_str() + 3, nullptr, 10));
  if (!replay.ok()) return Fail(replay.error());
  bool detached;
  {
    // Raw before the banner, so that keys typed after it reach the container.
    RawTerminal raw;
    if (isatty(STDIN_FILENO) == 1) {
      std::fprintf(stderr, "\r\nConnected to %s of %s\r\nType <Ctrl+%c q> to exit the console, <Ctrl+%c Ctrl+%c> "
                   "to enter Ctrl+%c itself\r\n\r\n", tty == "0" ? "the console" : ("tty" + tty).c_str(),
                   ref->name.c_str(), key[0], key[0], key[0], key[0]);
    }
    (void)WriteAll(STDOUT_FILENO, *replay);
    detached = Relay(pty.get(), control->get(), escape);
  }
  if (!detached) std::fprintf(stderr, "\nuxc console: container '%s' stopped\n", ref->name.c_str());
  return 0;
}

}  // namespace uxc::cli

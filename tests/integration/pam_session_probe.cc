// A login in miniature, for the pam_uxc tests: pam_start(SERVICE, USER),
// pam_open_session, then CMD run as the user (its groups, uid and gid) the
// way login(1) runs a shell, pam_close_session once it ends, pam_end.
// Usage: pam_session_probe SERVICE USER CMD [ARG...]
// Prints "open: CODE", "command: STATUS" and "close: CODE" on stderr; exits
// 0 only when all three succeeded.
#include <grp.h>
#include <pwd.h>
#include <security/pam_appl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace {

// No module of the test stacks asks anything.
int NoConversation(int, const pam_message**, pam_response**, void*) { return PAM_CONV_ERR; }

int RunAsUser(const char* user, char** argv) {
  passwd* entry = getpwnam(user);
  if (entry == nullptr) return -1;
  pid_t child = fork();
  if (child < 0) return -1;
  if (child == 0) {
    if (initgroups(entry->pw_name, entry->pw_gid) != 0 || setgid(entry->pw_gid) != 0 ||
        setuid(entry->pw_uid) != 0) {
      _exit(126);
    }
    execvp(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0) {
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: pam_session_probe SERVICE USER CMD [ARG...]\n");
    return 2;
  }
  pam_conv conversation = {NoConversation, nullptr};
  pam_handle_t* handle = nullptr;
  if (pam_start(argv[1], argv[2], &conversation, &handle) != PAM_SUCCESS) return 2;
  int opened = pam_open_session(handle, 0);
  std::fprintf(stderr, "open: %d\n", opened);
  int status = opened == PAM_SUCCESS ? RunAsUser(argv[2], argv + 3) : -1;
  std::fprintf(stderr, "command: %d\n", status);
  int closed = opened == PAM_SUCCESS ? pam_close_session(handle, 0) : -1;
  std::fprintf(stderr, "close: %d\n", closed);
  pam_end(handle, closed);
  return opened == PAM_SUCCESS && status == 0 && closed == PAM_SUCCESS ? 0 : 1;
}

#include "launcher/engine/container_pty.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/unique_fd.h"
#include "launcher/engine/mounter.h"

namespace uxc::launcher {
namespace {

// The ptmx of the devpts instance behind `pts`. RESOLVE_NO_XDEV refuses a
// bind mount on "ptmx" itself (openat2(2)): devpts has no other way to hold
// a file that is not its own.
int OpenOwnPtmx(int pts) {
  open_how how{};
  how.flags = O_RDWR | O_NOCTTY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  return static_cast<int>(syscall(SYS_openat2, pts, "ptmx", &how, sizeof how));
}

}  // namespace

int OpenContainerPty(int root_fd, const winsize& size, const char* what, const char* hint,
                     ContainerPty* pty, ChildReport* report) {
  UniqueFd pts(OpenInRoot(root_fd, "/dev/pts", O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS));
  if (!pts) return Fail(report, errno, "open /dev/pts for", what, hint);
  struct statfs fs;
  if (fstatfs(pts.get(), &fs) != 0) return Fail(report, errno, "look at /dev/pts for", what, hint);
  if (fs.f_type != DEVPTS_SUPER_MAGIC) {
    return Fail(report, ENOTTY, "find a devpts file system on /dev/pts for", what, hint);
  }
  UniqueFd ptx(OpenOwnPtmx(pts.get()));
  if (!ptx) return Fail(report, errno, "open /dev/pts/ptmx for", what, hint);
  int unlock = 0;
  if (ioctl(ptx.get(), TIOCSPTLCK, &unlock) != 0) return Fail(report, errno, "unlock the pty for", what, nullptr);
  if (size.ws_row != 0 && ioctl(ptx.get(), TIOCSWINSZ, &size) != 0) {
    return Fail(report, errno, "set the window size of the pty for", what, nullptr);
  }
  UniqueFd peer(ioctl(ptx.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!peer) return Fail(report, errno, "open the pty peer for", what, nullptr);
  pty->multiplexer = ptx.Release();
  pty->peer = peer.Release();
  return 0;
}

}  // namespace uxc::launcher

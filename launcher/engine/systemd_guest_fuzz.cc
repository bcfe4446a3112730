// Feeds arbitrary init paths, under rootfs paths of every shape (the real
// directory, a longer and a shorter symlink to it, with "/." and ".." in
// it), to the systemd init check and to the in-root path resolver under it,
// against a fixed tree of hostile symlinks. Nothing may abort; where both
// the resolver and the kernel (openat2 RESOLVE_IN_ROOT) find the path, they
// must find the same file, and the resolver's path must hold no symlink.
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/rootfs_path.h"
#include "base/unique_fd.h"
#include "launcher/engine/systemd_guest.h"

namespace {

void Link(const std::string& target, const std::string& path) {
  if (symlink(target.c_str(), path.c_str()) != 0) __builtin_trap();
}

// base/r is the root; base/short and base/a-much-longer-... lead to it.
std::string MakeTree() {
  const char* tmp = getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr ? tmp : "/tmp") + "/uxc-systemd-guest-fuzz-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) __builtin_trap();
  std::string base = pattern, root = base + "/r";
  for (const std::string& dir : {root, root + "/sbin", root + "/lib", root + "/lib/systemd", root + "/etc",
                                 root + "/usr", root + "/usr/sbin", root + "/d"}) {
    if (mkdir(dir.c_str(), 0755) != 0) __builtin_trap();
  }
  for (const std::string& file : {root + "/lib/systemd/systemd", root + "/usr/sbin/init-sysv", root + "/f"}) {
    int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
    if (fd < 0) __builtin_trap();
    close(fd);
  }
  Link("../lib/systemd/systemd", root + "/sbin/init");
  Link("/lib/systemd/systemd", root + "/sbin/abs");
  Link("/usr/sbin/init-sysv", root + "/sbin/sysv");
  Link("../../../../../..", root + "/up");
  Link("loop", root + "/loop");
  Link("b", root + "/a");
  Link("a", root + "/b");
  Link("/", root + "/d/root");
  Link("..", root + "/d/parent");
  Link("/etc/passwd", root + "/etc/passwd");
  Link("f/x", root + "/through-file");
  Link("r", base + "/short");
  Link(root, base + "/a-much-much-longer-symlink-name-that-leads-to-the-same-rootfs");
  return base;
}

bool Clean(const std::string& path) {
  if (path.empty() || path[0] != '/') return false;
  if (path == "/") return true;
  return path.back() != '/' && path.find("//") == std::string::npos && path.find("/./") == std::string::npos &&
         path.find("/../") == std::string::npos && !path.ends_with("/.") && !path.ends_with("/..");
}

void CheckAgainstTheKernel(const std::string& rootfs, const std::string& init) {
  uxc::UniqueFd root(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) __builtin_trap();
  auto canonical = uxc::CanonicalPathInRoot(root.get(), init);
  if (!canonical.ok()) return;
  if (!Clean(*canonical)) __builtin_trap();
  uxc::UniqueFd by_kernel(uxc::OpenInRoot(root.get(), init, O_PATH));
  if (!by_kernel) return;
  uxc::UniqueFd by_path(uxc::OpenInRoot(root.get(), *canonical, O_PATH | O_NOFOLLOW, 0, RESOLVE_NO_SYMLINKS));
  if (!by_path) __builtin_trap();
  struct stat a, b;
  if (fstat(by_kernel.get(), &a) != 0 || fstat(by_path.get(), &b) != 0) __builtin_trap();
  if (a.st_dev != b.st_dev || a.st_ino != b.st_ino) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string base = MakeTree();
  static const std::vector<std::string> rootfs = {
      base + "/r",     base + "/short", base + "/a-much-much-longer-symlink-name-that-leads-to-the-same-rootfs",
      base + "/r/.",   base + "/r/d/..", base + "/short/",
  };
  if (size == 0) return 0;
  const std::string& root = rootfs[data[0] % rootfs.size()];
  std::string init(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (init.find('\0') != std::string::npos) return 0;
  (void)uxc::launcher::SystemdInitPath(root, init);
  CheckAgainstTheKernel(root, init);
  return 0;
}

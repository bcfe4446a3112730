#include "launcher/engine/self_binary.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/unique_fd.h"

extern char** environ;

namespace uxc::launcher {
namespace {

// Set by the exposed binary for its sealed copy; believed only when this
// process really runs from a sealed memfd.
constexpr char kOriginVariable[] = "UXC_SEALED_COPY_OF";
constexpr unsigned kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;

bool RunsFromSealedCopy() {
  UniqueFd self(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  if (!self) return false;
  int seals = fcntl(self.get(), F_GET_SEALS);
  return seals >= 0 && (static_cast<unsigned>(seals) & kSeals) == kSeals;
}

std::string ReadSelfLink() {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, static_cast<size_t>(n)) : "";
}

// The origin of this sealed copy, taken out of the environment so that
// nothing this process starts inherits it.
const std::string& Origin() {
  static const std::string origin = [] {
    const char* value = getenv(kOriginVariable);
    std::string text = value != nullptr && RunsFromSealedCopy() ? value : "";
    unsetenv(kOriginVariable);
    return text;
  }();
  return origin;
}

// memfd_create(2): since Linux 6.3, vm.memfd_noexec = 1 makes a memfd
// created without MFD_EXEC non-executable; older kernels refuse the flag.
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

UniqueFd CreateExecutableMemfd() {
  UniqueFd fd(memfd_create("uxc", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC));
  if (!fd && errno == EINVAL) fd = UniqueFd(memfd_create("uxc", MFD_CLOEXEC | MFD_ALLOW_SEALING));
  return fd;
}

Result<UniqueFd> SealedCopy(int source, off_t size) {
  UniqueFd copy = CreateExecutableMemfd();
  if (!copy) return ErrnoError("create a memfd for a sealed copy of uxc");
  for (off_t done = 0; done < size;) {
    ssize_t n = sendfile(copy.get(), source, nullptr, static_cast<size_t>(size - done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoError("copy uxc into a memfd");
    done += n;
  }
  if (fchmod(copy.get(), 0555) != 0 || fcntl(copy.get(), F_ADD_SEALS, kSeals) != 0) {
    return ErrnoError("seal the copy of uxc");
  }
  return copy;
}

[[noreturn]] void ExitWith(const std::string& path, const Error& error) {
  std::fprintf(stderr,
               "uxc: %s is not owned by root, so a container that maps its owner could rewrite it; uxc runs "
               "from a sealed copy then, and could not make one: %s. Ask root to install uxc owned by root "
               "(tools/install), which needs no copy\n",
               path.c_str(), error.ToString().c_str());
  std::exit(1);
}

}  // namespace

bool BinaryIsExposed(uid_t owner, mode_t mode) { return owner != 0 || (mode & (S_IWGRP | S_IWOTH)) != 0; }

void RunFromSealedCopyIfExposed(char** argv) {
  if (!Origin().empty()) return;
  UniqueFd self(open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  struct stat st;
  if (!self || fstat(self.get(), &st) != 0 || !BinaryIsExposed(st.st_uid, st.st_mode)) return;
  std::string path = ReadSelfLink();
  auto copy = SealedCopy(self.get(), st.st_size);
  if (!copy.ok()) ExitWith(path, copy.error());
  setenv(kOriginVariable, path.c_str(), 1);
  fexecve(copy->get(), argv, environ);
  ExitWith(path, ErrnoError("execute the sealed copy"));
}

Result<std::string> UxcBinaryPath() {
  if (!Origin().empty()) return Origin();
  std::string path = ReadSelfLink();
  if (path.empty()) return ErrnoError("find the uxc binary (/proc/self/exe)");
  return path;
}

}  // namespace uxc::launcher

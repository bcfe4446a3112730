#include "base/write_all.h"

#include <errno.h>
#include <unistd.h>

namespace uxc {

Status WriteAll(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError(what);
    if (n == 0) return PlainError(what + ": nothing was written");
    data.remove_prefix(n);
  }
  return OkStatus();
}

}  // namespace uxc

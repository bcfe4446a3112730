#include "base/close_fds.h"

#include <errno.h>
#include <unistd.h>

namespace uxc {

int CloseFdsExcept(std::initializer_list<int> keep) {
  constexpr size_t kMaxKept = 8;
  if (keep.size() > kMaxKept) {
    errno = EINVAL;
    return -1;
  }
  int sorted[kMaxKept];
  size_t count = 0;
  for (int fd : keep) {
    if (fd < 3) continue;
    size_t at = count++;
    for (; at > 0 && sorted[at - 1] > fd; --at) sorted[at] = sorted[at - 1];
    sorted[at] = fd;
  }
  unsigned int next = 3;
  for (size_t i = 0; i < count; ++i) {
    unsigned int fd = static_cast<unsigned int>(sorted[i]);
    if (fd < next) continue;  // a duplicate
    if (fd > next && close_range(next, fd - 1, 0) != 0) return -1;
    next = fd + 1;
  }
  return close_range(next, ~0U, 0);
}

}  // namespace uxc

// Closing every fd that is not meant for the next program, before an exec
// into a container or a hook. Allocation-free: safe between fork and exec.
#pragma once

#include <initializer_list>

namespace uxc {

// Closes every fd from 3 up except those in `keep` (at most 8; fds below 3
// are ignored, stdio stays). Returns 0, or -1 with errno when the kernel
// refused (close_range(2), Linux 5.9).
int CloseFdsExcept(std::initializer_list<int> keep);

}  // namespace uxc

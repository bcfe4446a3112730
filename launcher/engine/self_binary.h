// The uxc binary on disk, and the sealed copy of it that runs when
// container code could otherwise write the binary.
//
// A uxc process that execs a file of the container's whose interpreter
// line is `#!/proc/self/exe` runs the uxc binary in the container, as
// container root and, its mm now the container's, open to container root
// through /proc/PID/exe (runc's CVE-2019-5736). Being non-dumpable does not
// help then. If that root may write the file (uxc owned by the user, whose
// uid the container maps), it rewrites the user's next command. So such a
// uxc runs from a copy in a sealed memfd (memfd_create(2), F_SEAL_WRITE), as
// runc does: what the container gets is the copy, which nobody can write.
#pragma once

#include <string>

#include "base/error.h"

namespace uxc::launcher {

// Whether a binary with this owner and mode could be written by a container:
// one not owned by root, or writable by its group or others. (Root is never
// mapped into a user's container; whoever owns the file can chmod it.)
bool BinaryIsExposed(uid_t owner, mode_t mode);

// Re-executes this process (`argv`, the environment) from a sealed copy of
// its binary when the binary is exposed and this process does not already
// run from a sealed copy. Returns when no copy is needed; exits with status
// 1 and a message when one is needed and cannot be made.
void RunFromSealedCopyIfExposed(char** argv);

// The path of the uxc binary on disk: /proc/self/exe's target, or, in a
// sealed copy, the binary it was copied from.
Result<std::string> UxcBinaryPath();

}  // namespace uxc::launcher

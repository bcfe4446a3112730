// The host's policy files a setuid helper reads (/etc/passwd, /etc/group,
// /etc/subuid, /etc/uxc/usernet): opened as root, since they may be
// root-only, and read after the helper dropped to the caller.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"

namespace uxc::helpers {

struct PolicyFile {
  UniqueFd fd;
  int open_errno = 0;
};

// Opens `path` read-only, not following a symlink, and non-blocking: a FIFO
// in the file's place must not hang the helper.
PolicyFile OpenPolicyFile(const char* path);

// Why a policy file did not open, and who can fix it.
Error OpenFailure(const char* path, int open_errno);

// /etc/passwd and /etc/group of a large site outgrow a policy file's bound.
inline constexpr size_t kMaxAccountFileBytes = 64 << 20;

// The whole file, bounded (base/read_file.h). A missing file is "".
Result<std::string> ReadPolicyText(const PolicyFile& file, const char* path, size_t max_bytes = 1 << 20);

// The caller's login names, from /etc/passwd itself (no NSS).
Result<std::vector<std::string>> CallerNames(uid_t uid, const PolicyFile& passwd);

// The names of the caller's groups (its gid and supplementary groups, as
// LXC's lxc-user-nic takes them), from /etc/group itself.
Result<std::vector<std::string>> CallerGroupNames(const PolicyFile& group);

}  // namespace uxc::helpers

#include "helpers/policy_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "base/read_file.h"
#include "helpers/map_policy.h"
#include "helpers/setuid_start.h"

namespace uxc::helpers {

PolicyFile OpenPolicyFile(const char* path) {
  PolicyFile file;
  file.fd = UniqueFd(open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK));
  if (!file.fd) file.open_errno = errno;
  return file;
}

Error OpenFailure(const char* path, int open_errno) {
  std::string what = std::string("cannot open ") + path;
  if (open_errno == ELOOP) {
    return WithHint(ErrnoError(open_errno, what + " (it is a symlink)"), "ask root to make it a regular file");
  }
  if (open_errno == EMFILE || open_errno == ENFILE) {
    return WithHint(ErrnoError(open_errno, what), OpenFileLimitHint(open_errno));
  }
  return WithHint(ErrnoError(open_errno, what), "ask root to fix it");
}

Result<std::string> ReadPolicyText(const PolicyFile& file, const char* path, size_t max_bytes) {
  if (!file.fd && file.open_errno != ENOENT) return OpenFailure(path, file.open_errno);
  if (!file.fd) return std::string();
  return ReadSmallFd(file.fd.get(), path, max_bytes);
}

Result<std::vector<std::string>> CallerNames(uid_t uid, const PolicyFile& passwd) {
  UXC_ASSIGN_OR_RETURN(std::string text, ReadPolicyText(passwd, "/etc/passwd", kMaxAccountFileBytes));
  return PasswdNamesForUid(text, uid);
}

Result<std::vector<std::string>> CallerGroupNames(const PolicyFile& group) {
  UXC_ASSIGN_OR_RETURN(std::string text, ReadPolicyText(group, "/etc/group", kMaxAccountFileBytes));
  int count = getgroups(0, nullptr);
  if (count < 0) return ErrnoError("getgroups");
  std::vector<gid_t> gids(static_cast<size_t>(count) + 1);
  count = getgroups(count, gids.data() + 1);
  if (count < 0) return ErrnoError("getgroups");
  gids.resize(static_cast<size_t>(count) + 1);
  gids[0] = getgid();
  return GroupNamesForGids(text, gids);
}

}  // namespace uxc::helpers

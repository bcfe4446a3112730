#include "launcher/templates/tree_ownership.h"

#include <sys/mman.h>
#include <unistd.h>

#include <fstream>

#include "base/unique_fd.h"

namespace uxc::templates {
namespace {

constexpr uint64_t kLastId = 4294967294;  // (uid_t)-1 is never an id
constexpr size_t kMaxPathOutput = 65536;

uint32_t ReadId(const char* path, uint32_t fallback) {
  std::ifstream in(path);
  uint64_t value = 0;
  if (!(in >> value) || value > kLastId) return fallback;
  return static_cast<uint32_t>(value);
}

std::string Map(char kind, uint64_t inside, uint64_t outside, uint64_t count) {
  return std::string(1, kind) + ":" + std::to_string(inside) + ":" + std::to_string(outside) + ":" +
         std::to_string(count);
}

// Where a range of `count` ids goes in the probe's namespace: right after
// id 0 when the overflow id lies beyond it, else right after the overflow id.
Result<uint64_t> RangeStart(uint32_t overflow, uint32_t count, const char* file) {
  if (overflow == 0 || overflow > count) return uint64_t{1};
  if (uint64_t{overflow} + count > kLastId) {
    return PlainError(std::string("your ") + file + " range of " + std::to_string(count) +
                      " ids is too large to check a container's files with");
  }
  return uint64_t{overflow} + 1;
}

Result<std::string> ReadAll(int fd) {
  if (lseek(fd, 0, SEEK_SET) != 0) return ErrnoError("rewind the probe's output");
  std::string text(kMaxPathOutput, '\0');
  ssize_t n = read(fd, text.data(), text.size());
  if (n < 0) return ErrnoError("read the probe's output");
  text.resize(static_cast<size_t>(n));
  return text;
}

}  // namespace

OverflowIds ReadOverflowIds() {
  return {ReadId("/proc/sys/kernel/overflowuid", 65534), ReadId("/proc/sys/kernel/overflowgid", 65534)};
}

Result<std::vector<std::string>> OwnershipProbeMaps(uid_t uid, gid_t gid, const std::optional<UsernsIds>& ids,
                                                    const OverflowIds& overflow) {
  std::vector<std::string> maps = {Map('u', 0, uid, 1), Map('g', 0, gid, 1)};
  if (!ids) return maps;
  UXC_ASSIGN_OR_RETURN(auto uid_start, RangeStart(overflow.uid, ids->subuid.count, "/etc/subuid"));
  UXC_ASSIGN_OR_RETURN(auto gid_start, RangeStart(overflow.gid, ids->subgid.count, "/etc/subgid"));
  maps.push_back(Map('u', uid_start, ids->subuid.start, ids->subuid.count));
  maps.push_back(Map('g', gid_start, ids->subgid.start, ids->subgid.count));
  return maps;
}

Result<std::optional<std::string>> FindFileOfUnmappedId(const std::string& uxc_binary, uid_t uid, gid_t gid,
                                                        const std::optional<UsernsIds>& ids,
                                                        const std::string& dir) {
  OverflowIds overflow = ReadOverflowIds();
  UXC_ASSIGN_OR_RETURN(auto maps, OwnershipProbeMaps(uid, gid, ids, overflow));
  UniqueFd output(memfd_create("uxc-ownership-probe", MFD_CLOEXEC));
  if (!output) return ErrnoError("create a memfd for the ownership probe");
  // find lists a directory before it reads it (-quit stops there), so an
  // unreadable directory of a foreign id is reported, not an error.
  UsernsCommand probe{maps,
                      {"find", dir, "-xdev", "(", "-uid", std::to_string(overflow.uid), "-o", "-gid",
                       std::to_string(overflow.gid), ")", "-print", "-quit"},
                      -1,
                      output.get(),
                      false};
  UXC_ASSIGN_OR_RETURN(auto outcome, RunInUserns(uxc_binary, probe));
  UXC_ASSIGN_OR_RETURN(auto text, ReadAll(output.get()));
  if (!text.empty()) {
    if (text.back() == '\n') text.pop_back();
    return std::optional<std::string>(text);
  }
  if (outcome.exit_code != 0) {
    std::string err = outcome.stderr_tail;
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return PlainError("look through " + dir + " for files of ids you no longer have: find " +
                      (outcome.exit_code < 0 ? std::string("was killed")
                                             : "exited with status " + std::to_string(outcome.exit_code)) +
                      (err.empty() ? "" : ": " + err));
  }
  return std::optional<std::string>();
}

}  // namespace uxc::templates

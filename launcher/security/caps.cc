#include "launcher/security/caps.h"

#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/bounded_text.h"

namespace uxc::security {

std::vector<int> BoundingSetDrops(const std::optional<std::vector<int>>& keep,
                                  const std::vector<int>& drop, int cap_count) {
  std::vector<int> drops;
  for (int cap = 0; cap < cap_count; ++cap) {
    bool dropped;
    if (keep.has_value()) {
      dropped = std::find(keep->begin(), keep->end(), cap) == keep->end();
    } else {
      dropped = cap == CAP_MKNOD || std::find(drop.begin(), drop.end(), cap) != drop.end();
    }
    if (dropped) drops.push_back(cap);
  }
  return drops;
}

int KernelCapabilityCount() { return static_cast<int>(cap_max_bits()); }

std::string CapabilityName(int cap) {
  char* name = cap_to_name(static_cast<cap_value_t>(cap));
  if (name == nullptr) return "capability " + std::to_string(cap);
  std::string result(name);
  cap_free(name);
  return result;
}

int DropBoundingSet(const std::vector<int>& caps, char* error, size_t error_size) {
  for (int cap : caps) {
    if (cap_drop_bound(static_cast<cap_value_t>(cap)) != 0) {
      int saved = errno;
      ClearText(error, error_size);
      AppendText(error, error_size, "drop capability ");
      AppendDecimal(error, error_size, cap);
      AppendText(error, error_size, " from the bounding set");
      errno = saved;
      return -1;
    }
  }
  return 0;
}

int ClearInheritableAndAmbient(char* error, size_t error_size) {
  // Lowering a capability in the inheritable set also lowers it in the
  // ambient set (capabilities(7)); clear both explicitly all the same.
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
    return FailStep(error, error_size, "clear the ambient capability set");
  }
  // capget/capset directly: libcap's cap_get_proc() allocates.
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &header, data) != 0) {
    return FailStep(error, error_size, "read the capability sets");
  }
  for (auto& word : data) word.inheritable = 0;
  if (syscall(SYS_capset, &header, data) != 0) {
    return FailStep(error, error_size, "clear the inheritable capability set");
  }
  return 0;
}

}  // namespace uxc::security

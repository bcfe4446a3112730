#include "launcher/engine/security/caps.h"

#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "base/bounded_text.h"
#include "launcher/engine/child_report.h"

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

int DropBoundingSet(const std::vector<int>& caps, launcher::ChildReport* report) {
  for (int cap : caps) {
    if (cap_drop_bound(static_cast<cap_value_t>(cap)) != 0) {
      int error = errno;
      char number[24] = {};
      AppendDecimal(number, sizeof number, cap);
      const char* parts[] = {"drop capability", number, "from the bounding set"};
      return launcher::Fail(report, error, parts, 3);
    }
  }
  return 0;
}

int ClearInheritableAndAmbient(launcher::ChildReport* report) {
  // Lowering a capability in the inheritable set also lowers it in the
  // ambient set (capabilities(7)); clear both explicitly all the same.
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0) {
    return launcher::Fail(report, errno, "clear the ambient capability set");
  }
  // capget/capset directly: libcap's cap_get_proc() allocates.
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &header, data) != 0) {
    return launcher::Fail(report, errno, "read the capability sets");
  }
  for (auto& word : data) word.inheritable = 0;
  if (syscall(SYS_capset, &header, data) != 0) {
    return launcher::Fail(report, errno, "clear the inheritable capability set");
  }
  return 0;
}

}  // namespace uxc::security

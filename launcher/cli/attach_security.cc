#include "launcher/cli/attach_security.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>

#include "base/read_file.h"
#include "base/unique_fd.h"
#include "launcher/engine/security/caps.h"

namespace uxc::cli {
namespace {

// The value after "Key:" on its line of `status`, blanks trimmed.
std::optional<std::string_view> StatusValue(std::string_view status, std::string_view key) {
  for (size_t start = 0; start < status.size();) {
    size_t end = status.find('\n', start);
    if (end == std::string_view::npos) end = status.size();
    std::string_view line = status.substr(start, end - start);
    start = end + 1;
    if (line.size() <= key.size() || !line.starts_with(key) || line[key.size()] != ':') continue;
    std::string_view value = line.substr(key.size() + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    return value;
  }
  return std::nullopt;
}


}  // namespace

Result<InitConfinement> ParseInitConfinement(std::string_view status, const std::string& origin) {
  InitConfinement init;
  std::optional<std::string_view> bounding = StatusValue(status, "CapBnd");
  if (!bounding || bounding->empty() || bounding->size() > 16 ||
      bounding->find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
    return PlainError(origin + ": no CapBnd line with a hexadecimal capability set");
  }
  init.bounding_set = std::stoull(std::string(*bounding), nullptr, 16);
  std::optional<std::string_view> no_new_privs = StatusValue(status, "NoNewPrivs");
  if (!no_new_privs || (*no_new_privs != "0" && *no_new_privs != "1")) {
    return PlainError(origin + ": no NoNewPrivs line with 0 or 1");
  }
  init.no_new_privs = *no_new_privs == "1";
  return init;
}

void TightenToInit(const InitConfinement& init, int cap_count, security::SecurityPlan& plan) {
  for (int cap = 0; cap < cap_count && cap < 64; ++cap) {
    if ((init.bounding_set >> cap) & 1) continue;
    auto at = std::lower_bound(plan.bounding_drop.begin(), plan.bounding_drop.end(), cap);
    if (at == plan.bounding_drop.end() || *at != cap) plan.bounding_drop.insert(at, cap);
  }
  plan.no_new_privs = plan.no_new_privs || init.no_new_privs;
}

Result<security::SecurityPlan> PlanAttachSecurity(const config::ContainerConfig& config, pid_t init_pid) {
  UXC_ASSIGN_OR_RETURN(auto plan, security::PlanSecurity(config));
  std::string path = "/proc/" + std::to_string(init_pid) + "/status";
  UXC_ASSIGN_OR_RETURN(auto status, ReadSmallFile(path));
  UXC_ASSIGN_OR_RETURN(auto init, ParseInitConfinement(status, path));
  TightenToInit(init, security::KernelCapabilityCount(), plan);
  return plan;
}

}  // namespace uxc::cli

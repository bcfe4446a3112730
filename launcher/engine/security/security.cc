#include "launcher/engine/security/security.h"

#include <linux/seccomp.h>
#include <sys/prctl.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <optional>
#include <string_view>
#include <utility>

#include "config/seccomp_profile.h"
#include "config/text_util.h"
#include "config/values.h"
#include "launcher/engine/security/caps.h"
#include "launcher/engine/security/seccomp.h"

namespace uxc::security {
namespace {

constexpr char kDefaultProfileName[] = "uxc's default seccomp profile (LXC's common.seccomp)";

Error KeyError(const config::ContainerConfig& config, std::string_view key, Error error) {
  return Annotate(std::move(error), config::WhereSet(config, key));
}

bool IsNone(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "none";
}

// The capabilities listed under `key` (all its lines), or nullopt when the
// key is unset. "none" lists nothing and is allowed in lxc.cap.keep only.
Result<std::optional<std::vector<int>>> CapabilityList(const config::ContainerConfig& config,
                                                       std::string_view key) {
  std::vector<std::string> values = config.GetList(key);
  if (values.empty()) return std::optional<std::vector<int>>();
  std::vector<int> caps;
  for (const std::string& value : values) {
    for (std::string_view word : config::SplitFields(value)) {
      if (IsNone(word)) {
        if (key == "lxc.cap.keep") continue;
        return KeyError(config, key,
                        PlainError("\"none\" is only meaningful in lxc.cap.keep (keep nothing); "
                                   "lxc.cap.drop lists the capabilities to drop"));
      }
      Result<std::vector<int>> parsed = config::ParseCapabilities(word);
      if (!parsed.ok()) return KeyError(config, key, parsed.take_error());
      caps.insert(caps.end(), parsed->begin(), parsed->end());
    }
  }
  return std::optional<std::vector<int>>(std::move(caps));
}

Result<std::vector<int>> PlanBoundingSet(const config::ContainerConfig& config) {
  UXC_ASSIGN_OR_RETURN(std::optional<std::vector<int>> keep, CapabilityList(config, "lxc.cap.keep"));
  UXC_ASSIGN_OR_RETURN(std::optional<std::vector<int>> drop, CapabilityList(config, "lxc.cap.drop"));
  if (keep.has_value() && drop.has_value()) {
    return PlainError(config::WhereSet(config, "lxc.cap.keep") + " and " +
                      config::WhereSet(config, "lxc.cap.drop") +
                      " are both set, and they exclude each other (as in LXC): "
                      "keep lists every capability that stays, drop the ones that go; remove "
                      "one of them (an empty \"lxc.cap.drop =\" clears an inherited drop list)");
  }
  return BoundingSetDrops(keep, drop.value_or(std::vector<int>()), KernelCapabilityCount());
}

Result<bool> BoolKey(const config::ContainerConfig& config, std::string_view key) {
  std::optional<std::string> value = config.Get(key);
  if (!value) return false;
  Result<bool> parsed = config::ParseBool(*value);
  if (!parsed.ok()) return KeyError(config, key, parsed.take_error());
  return *parsed;
}

// A relative lxc.seccomp.profile is taken relative to the file that set it.
std::string ProfilePath(const std::string& value, const config::Entry* set_by) {
  const config::Origin* origin = set_by != nullptr ? &set_by->origin : nullptr;
  if (value.empty() || value.front() == '/' || origin == nullptr || origin->line == 0) return value;
  size_t slash = origin->file.rfind('/');
  if (slash == std::string::npos) return value;
  return origin->file.substr(0, slash + 1) + value;
}

Result<config::SeccompProfile> LoadProfile(const config::ContainerConfig& config) {
  std::optional<std::string> value = config.Get("lxc.seccomp.profile");
  if (!value || value->empty()) {
    return config::ParseSeccompProfile(config::DefaultSeccompProfileText(), kDefaultProfileName);
  }
  Result<config::SeccompProfile> profile =
      config::LoadSeccompProfile(ProfilePath(*value, config.EffectiveEntry("lxc.seccomp.profile")));
  if (!profile.ok()) return KeyError(config, "lxc.seccomp.profile", profile.take_error());
  return profile;
}

// Whether this process already runs under a seccomp filter; children inherit
// filters. PR_GET_SECCOMP returns 2 under a filter, 0 without, and fails
// with EINVAL on a kernel without seccomp; any other failure comes from a
// filter that refuses prctl (prctl(2)).
bool AlreadyFiltered() {
  int mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
  return mode == SECCOMP_MODE_FILTER || (mode < 0 && errno != EINVAL);
}

Status PlanSeccomp(const config::ContainerConfig& config, SeccompCompile compile,
                   SecurityPlan& plan) {
  // lxc.seccomp.notify.proxy and .cookie: the config loader warns that
  // they are ignored; the filter builder warns about notify rules.
  UXC_ASSIGN_OR_RETURN(bool allow_nesting, BoolKey(config, "lxc.seccomp.allow_nesting"));
  UXC_ASSIGN_OR_RETURN(config::SeccompProfile profile, LoadProfile(config));
  std::vector<std::string> warnings;
  std::optional<SeccompFilter> filter;
  if (compile == SeccompCompile::kNow) {
    UXC_ASSIGN_OR_RETURN(SeccompFilter built, BuildSeccompFilter(profile));
    filter = std::move(built);
    warnings = std::move(filter->warnings);
  } else {
    warnings = ReviewSeccompProfile(profile);
  }
  plan.warnings.insert(plan.warnings.end(), warnings.begin(), warnings.end());
  // As LXC: a launcher that is itself confined leaves the container with the
  // filter it already has, unless nesting is asked for.
  if (!allow_nesting && AlreadyFiltered()) {
    plan.warnings.push_back("uxc already runs under a seccomp filter, which the container inherits; the profile " +
                            profile.file + " is not loaded on top (set lxc.seccomp.allow_nesting = 1 to load it)");
    return OkStatus();
  }
  UXC_ASSIGN_OR_RETURN(std::vector<sock_filter> terminal, BuildTerminalIoctlFilter());
  plan.terminal_filter = std::move(terminal);
  if (filter) {
    plan.seccomp_program = std::move(filter->program);
  } else {
    plan.seccomp_profile = std::move(profile);
  }
  return OkStatus();
}

}  // namespace

Result<SecurityPlan> PlanSecurity(const config::ContainerConfig& config, SeccompCompile compile) {
  SecurityPlan plan;
  UXC_ASSIGN_OR_RETURN(std::vector<int> drops, PlanBoundingSet(config));
  plan.bounding_drop = std::move(drops);
  UXC_ASSIGN_OR_RETURN(bool no_new_privs, BoolKey(config, "lxc.no_new_privs"));
  plan.no_new_privs = no_new_privs;
  UXC_RETURN_IF_ERROR(PlanSeccomp(config, compile, plan));
  return plan;
}

Result<std::vector<sock_filter>> CompileSeccompProfile(const SecurityPlan& plan) {
  if (!plan.seccomp_profile) return std::vector<sock_filter>();
  UXC_ASSIGN_OR_RETURN(SeccompFilter filter, BuildSeccompFilter(*plan.seccomp_profile));
  return std::move(filter.program);
}

int ApplySecurity(const SecurityPlan& plan, launcher::ChildReport* report) {
  return ApplySecurity(plan, plan.seccomp_program, report);
}

int ApplySecurity(const SecurityPlan& plan, std::span<const sock_filter> seccomp_program,
                  launcher::ChildReport* report) {
  if (DropBoundingSet(plan.bounding_drop, report) != 0) return -1;
  if (plan.clear_inheritable && ClearInheritableAndAmbient(report) != 0) return -1;
  if (plan.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return launcher::Fail(report, errno, "set no_new_privs (lxc.no_new_privs)");
  }
  if (!plan.terminal_filter.empty() &&
      LoadSeccompFilter(plan.terminal_filter.data(), plan.terminal_filter.size()) != 0) {
    return launcher::Fail(report, errno, "load the seccomp filter against terminal injection");
  }
  if (!seccomp_program.empty() &&
      LoadSeccompFilter(seccomp_program.data(), seccomp_program.size()) != 0) {
    return launcher::Fail(report, errno, "load the seccomp filter (lxc.seccomp.profile)");
  }
  return 0;
}

}  // namespace uxc::security

// The judgement half of `uxc checkconfig`: from HostFacts to report lines,
// each OK or what is missing and how to fix it. Pure code.
#pragma once

#include <string>
#include <vector>

#include "launcher/cli/host_facts.h"

namespace uxc::cli {

enum class CheckStatus {
  kOk,
  kMissing,  // needed for unprivileged containers: checkconfig exits 1
  kLimited,  // an optional feature (limits, veth networking) is unavailable
  kInfo,     // could not be checked, or a fact worth knowing
};

struct Check {
  std::string section;  // "Kernel", "Cgroups", "Ids", "Container path", "Helpers", "Network"
  CheckStatus status = CheckStatus::kOk;
  std::string subject;  // "user namespaces"
  std::string detail;   // what was found
  std::string fix;      // how to fix it; "" when nothing to do
};

std::vector<Check> CheckKernel(const HostFacts& facts);
std::vector<Check> CheckCgroups(const HostFacts& facts);
std::vector<Check> CheckSubordinateIds(const HostFacts& facts);
std::vector<Check> CheckContainerPath(const HostFacts& facts);
std::vector<Check> CheckHelpers(const HostFacts& facts);
std::vector<Check> CheckNetwork(const HostFacts& facts);

// All of the above, in report order, after a settings check.
std::vector<Check> CheckHost(const HostFacts& facts);

// The report: a heading, the checks grouped by section, and a verdict line.
std::string FormatReport(const HostFacts& facts, const std::vector<Check>& checks);

// Whether nothing needed is missing (the exit status).
bool AllNeededPresent(const std::vector<Check>& checks);

}  // namespace uxc::cli

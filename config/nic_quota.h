// Charging a new nic to a usernet line: the decision uxc-user-nic makes
// under the nic database's lock. Rules: docs/usernet.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/nic_db.h"
#include "config/usernet.h"

namespace uxc::config {

// One usernet line name that applies to a user for (type, bridge): its
// capacity (the sum of its lines' counts) and the nics charged to it.
struct QuotaOwner {
  std::string owner;      // "alice" or "@group"
  uint64_t capacity = 0;
  uint64_t used = 0;
};

// Every applying owner, in the order of its first line in usernet.
std::vector<QuotaOwner> QuotaOwners(const UsernetAllowance& allowance, const std::vector<NicRecord>& live_records);

// The owner a new nic is charged to: the first with room, or nullopt when
// the quota is used up (or there is none).
std::optional<std::string> OwnerWithRoom(const UsernetAllowance& allowance,
                                         const std::vector<NicRecord>& live_records);

}  // namespace uxc::config

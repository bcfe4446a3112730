#include "config/nic_quota.h"

#include <algorithm>

namespace uxc::config {

std::vector<QuotaOwner> QuotaOwners(const UsernetAllowance& allowance, const std::vector<NicRecord>& live_records) {
  std::vector<QuotaOwner> owners;
  for (const UsernetEntry& entry : allowance.entries) {
    auto same = [&](const QuotaOwner& owner) { return owner.owner == entry.owner; };
    auto found = std::find_if(owners.begin(), owners.end(), same);
    if (found == owners.end()) {
      owners.push_back({entry.owner, 0, NicsHeldBy(live_records, entry.owner, entry.type, entry.bridge)});
      found = owners.end() - 1;
    }
    found->capacity += entry.count;
  }
  return owners;
}

std::optional<std::string> OwnerWithRoom(const UsernetAllowance& allowance,
                                         const std::vector<NicRecord>& live_records) {
  for (const QuotaOwner& owner : QuotaOwners(allowance, live_records)) {
    if (owner.used < owner.capacity) return owner.owner;
  }
  return std::nullopt;
}

}  // namespace uxc::config

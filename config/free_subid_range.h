// A subordinate range root could grant without overlapping anyone's, for the
// `usermod --add-subuids START-END USER` hints uxc prints.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "config/subid.h"

namespace uxc::config {

constexpr uint32_t kFullSubidRange = 65536;  // what a distribution's files need

// "START-END": the lowest `count` ids from 100000 on (useradd's SUB_UID_MIN)
// that overlap no entry of any list.
std::string FreeSubidRange(const std::vector<std::vector<SubidRange>>& files, uint32_t count = kFullSubidRange);

// The entries that are not `user`'s (by name or uid): a hint may overlap the
// caller's own ranges, never anyone else's.
std::vector<SubidRange> OthersRanges(const std::vector<SubidRange>& ranges, const std::string& user, uid_t uid);

// FreeSubidRange over everyone else's entries in this host's /etc/subuid and
// /etc/subgid together, so one range suits both usermod flags; a file that
// cannot be read counts as empty.
std::string FreeSubidRangeOnThisHost(const std::string& user, uid_t uid);

}  // namespace uxc::config

// Whether an id that is not the caller's (container root: the first
// subordinate uid and gid) may search a directory, by its mode and its POSIX
// access ACL, with the kernel's rules (acl(5), "ACCESS CHECK ALGORITHM").
// Pure code: host_facts.cc reads the modes and ACLs with libacl.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace uxc::cli {

struct AclEntry {
  enum class Tag { kUser, kGroup, kOwningGroup, kMask };
  Tag tag = Tag::kUser;
  unsigned id = 0;          // the uid or gid of a kUser or kGroup entry
  bool execute = false;     // the entry's x bit
};

struct DirectoryFacts {
  std::string path;
  uid_t uid = 0;
  gid_t gid = 0;
  mode_t mode = 0;
  // An extended ACL's named entries, owning group and mask; empty without one
  // (then the mode's group bits are the owning group's).
  std::vector<AclEntry> acl;
};

// Whether a process with fsuid `uid`, fsgid `gid` and no supplementary
// groups may search `dir` (no capabilities: container root has none on the host).
bool MaySearch(const DirectoryFacts& dir, uid_t uid, gid_t gid);

}  // namespace uxc::cli

#include "launcher/cli/search_permission.h"

#include <sys/stat.h>

namespace uxc::cli {
namespace {

// The mask limits named entries and the owning group (acl(5)); without an
// extended ACL there is no mask, and the group bits stand for themselves.
bool MaskAllows(const DirectoryFacts& dir) {
  for (const AclEntry& entry : dir.acl) {
    if (entry.tag == AclEntry::Tag::kMask) return entry.execute;
  }
  return true;
}

}  // namespace

bool MaySearch(const DirectoryFacts& dir, uid_t uid, gid_t gid) {
  if (dir.uid == uid) return dir.mode & S_IXUSR;
  for (const AclEntry& entry : dir.acl) {
    if (entry.tag == AclEntry::Tag::kUser && entry.id == uid) return entry.execute && MaskAllows(dir);
  }
  // Any matching group entry that grants search is enough; a match that
  // grants nothing denies, without falling through to the other bits.
  bool group_matched = false;
  bool group_allows = false;
  if (dir.acl.empty() && dir.gid == gid) return dir.mode & S_IXGRP;
  for (const AclEntry& entry : dir.acl) {
    bool matches = (entry.tag == AclEntry::Tag::kOwningGroup && dir.gid == gid) ||
                   (entry.tag == AclEntry::Tag::kGroup && entry.id == gid);
    if (!matches) continue;
    group_matched = true;
    group_allows = group_allows || entry.execute;
  }
  if (group_matched) return group_allows && MaskAllows(dir);
  return dir.mode & S_IXOTH;
}

}  // namespace uxc::cli

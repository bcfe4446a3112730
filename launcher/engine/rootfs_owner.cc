#include "launcher/engine/rootfs_owner.h"

#include <sys/stat.h>

#include <optional>

namespace uxc::launcher {
namespace {

// The count `usermod --add-subuids` is advised with: LXC's and uxc's default.
constexpr uint32_t kAdvisedCount = 65536;

// True when the map is the fallback: only `own` mapped, as root.
bool OnlyOwnId(const std::vector<IdMapLine>& lines, uint32_t own) {
  return lines.size() == 1 && lines[0] == IdMapLine{0, own, 1};
}

std::string Range(uint32_t start) {
  return std::to_string(start) + "-" + std::to_string(uint64_t{start} + kAdvisedCount - 1);
}

// What changed for one kind of id ("uid", /etc/subuid), or "" when the map
// makes `owned_by` container root.
std::string WhatChanged(const char* kind, const char* file, uint32_t owned_by, uint32_t own,
                        const std::vector<IdMapLine>& lines) {
  std::optional<uint32_t> root = OutsideIdOf(lines, 0);
  if (root && *root == owned_by) return "";
  std::string owner = std::string("host ") + kind + " " + std::to_string(owned_by);
  if (OnlyOwnId(lines, own)) {
    return owner + ", but you have no " + file + " entry now, so container root would be your own " + kind +
           " " + std::to_string(own);
  }
  bool covered = false;
  std::string now;
  for (const IdMapLine& line : lines) {
    covered = covered || (owned_by >= line.outside && owned_by - line.outside < line.count);
    now += (now.empty() ? "" : ", ") + std::to_string(line.outside) + "-" +
           std::to_string(uint64_t{line.outside} + line.count - 1);
  }
  return owner + ", which is no longer " + (covered ? "the first id of" : "in") + " your subordinate range (" +
         file + " gives you " + now + " now)";
}

}  // namespace

Result<RootfsOwner> StatRootfsOwner(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return ErrnoError("stat the rootfs " + path);
  return RootfsOwner{st.st_uid, st.st_gid};
}

std::optional<OwnerChange> DescribeOwnerChange(const RootfsOwner& owner, const IdMapPlan& maps,
                                               const Caller& caller) {
  if (owner.uid == caller.uid) return std::nullopt;
  if (owner.uid == 0 && owner.gid == 0) return std::nullopt;
  std::string uid_change = WhatChanged("uid", "/etc/subuid", owner.uid, caller.uid, maps.uids);
  std::string gid_change = WhatChanged("gid", "/etc/subgid", owner.gid, caller.gid, maps.gids);
  if (uid_change.empty() && gid_change.empty()) return std::nullopt;

  OwnerChange change{uid_change, "usermod"};
  if (!gid_change.empty()) change.what += (change.what.empty() ? "" : "; and by ") + gid_change;
  if (!uid_change.empty()) change.usermod += " --add-subuids " + Range(owner.uid);
  if (!gid_change.empty()) change.usermod += " --add-subgids " + Range(owner.gid);
  change.usermod += " " + caller.name;
  return change;
}

Status CheckDefaultMapsFitRootfs(const std::string& rootfs, const RootfsOwner& owner, const IdMapPlan& maps,
                                 const Caller& caller) {
  std::optional<OwnerChange> change = DescribeOwnerChange(owner, maps, caller);
  if (!change) return OkStatus();
  return WithHint(PlainError("the rootfs " + rootfs + " is owned by " + change->what +
                             ". uxc refuses to start it with other ids as container root"),
                  "ask root to give you the range it needs (`" + change->usermod +
                      "`), or to chown the rootfs into the ids you have now");
}

}  // namespace uxc::launcher

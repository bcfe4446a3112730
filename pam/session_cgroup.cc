#include "pam/session_cgroup.h"

#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "base/read_file.h"
#include "config/text_util.h"
#include "kernel/cgroup.h"
#include "kernel/cgroup_files.h"
#include "kernel/cgroup_layout.h"

namespace uxc::pam {
namespace {

using kernel::Cgroup;

constexpr size_t kMaxMountinfo = 16 << 20;
// How deep close_session goes into what a user made below the node.
constexpr int kMaxRemovalDepth = 16;

// The cgroup2 hierarchy: its root, and the "0::" paths of this process and
// of init, relative to that root.
struct Hierarchy {
  Cgroup root;
  std::string own;
  std::string init;
};

std::vector<std::string> PathComponents(std::string_view path) {
  std::vector<std::string> parts;
  for (std::string_view part : config::Split(path, '/')) {
    if (!part.empty()) parts.emplace_back(part);
  }
  return parts;
}

std::string JoinPath(const std::vector<std::string>& components) {
  std::string path;
  for (const std::string& part : components) path += "/" + part;
  return path.empty() ? "/" : path;
}

bool Contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

Result<Hierarchy> ReadHierarchy() {
  UXC_ASSIGN_OR_RETURN(std::string mountinfo, ReadSmallFile("/proc/self/mountinfo", kMaxMountinfo));
  UXC_ASSIGN_OR_RETURN(std::string self, ReadSmallFile("/proc/self/cgroup"));
  UXC_ASSIGN_OR_RETURN(std::string init, ReadSmallFile("/proc/1/cgroup"));
  kernel::CgroupLayout layout = kernel::ParseCgroupLayout(mountinfo, self);
  std::optional<std::string> init_path = kernel::ParseCgroupLayout("", init).v2_path;
  if (!layout.v2_mount) return PlainError("no cgroup2 file system is mounted (/proc/self/mountinfo)");
  if (layout.v2_mount->root != "/") {
    return PlainError("the cgroup2 mount at " + layout.v2_mount->mount_point + " shows only the subtree " +
                      layout.v2_mount->root + " (a cgroup namespace?); pam_uxc needs the whole hierarchy");
  }
  if (!layout.v2_path || !init_path) return PlainError("/proc/self/cgroup or /proc/1/cgroup has no cgroup2 (0::) line");
  UXC_ASSIGN_OR_RETURN(Cgroup root, Cgroup::Open(layout.v2_mount->mount_point));
  return Hierarchy{std::move(root), *layout.v2_path, *init_path};
}

// The base's components: the admin's base=, or a "uxc.users" beside init's cgroup.
std::vector<std::string> BaseComponents(const ModuleArgs& args, const std::string& init) {
  if (args.base) return *args.base;
  std::vector<std::string> parts = PathComponents(init);
  if (!parts.empty()) parts.pop_back();
  parts.push_back("uxc.users");
  return parts;
}

// Every cgroup from the root to the base must be root's alone: whoever may
// write one could plant a node for another user in it.
Status CheckRootsAlone(const Cgroup& cgroup) {
  UXC_ASSIGN_OR_RETURN(struct stat status, cgroup.Stat());
  if (status.st_uid == 0 && (status.st_mode & (S_IWGRP | S_IWOTH)) == 0) return OkStatus();
  return PlainError(cgroup.path() + " is owned by uid " + std::to_string(status.st_uid) +
                    " or writable by others: the cgroups down to the base must be root's alone");
}

struct Opened {
  Cgroup cgroup;
  bool created = false;
};

Result<Opened> CreateOrOpen(const Cgroup& parent, const std::string& name, bool create) {
  if (create) {
    auto made = parent.CreateChild(name);
    if (made.ok()) return Opened{std::move(*made), true};
    if (made.error().errno_value != EEXIST) return made.take_error();
  }
  UXC_ASSIGN_OR_RETURN(Cgroup existing, parent.OpenChild(name));
  return Opened{std::move(existing), false};
}

// The cgroups from the root (levels[0]) down to the base (levels.back()).
struct BaseChain {
  std::vector<Cgroup> levels;
  std::vector<std::string> components;  // the base's path below the root
  size_t first_created = 0;             // levels this call made: [first_created, size); 0 when none

  const Cgroup& base() const { return levels.back(); }

  // Removes the levels this call made, deepest first, where still empty.
  void RemoveCreated() {
    if (first_created == 0) return;
    for (size_t level = levels.size() - 1; level >= first_created; --level) {
      (void)levels[level - 1].RemoveChild(components[level - 1]);
    }
  }
};

Result<BaseChain> OpenBase(Cgroup root, std::vector<std::string> components, bool create) {
  BaseChain chain;
  UXC_RETURN_IF_ERROR(CheckRootsAlone(root));
  chain.levels.push_back(std::move(root));
  chain.components = std::move(components);
  for (const std::string& name : chain.components) {
    auto opened = CreateOrOpen(chain.levels.back(), name, create);
    if (!opened.ok()) {
      chain.RemoveCreated();
      return opened.take_error();
    }
    if (opened->created && chain.first_created == 0) chain.first_created = chain.levels.size();
    chain.levels.push_back(std::move(opened->cgroup));
    Status alone = CheckRootsAlone(chain.levels.back());
    if (!alone.ok()) {
      chain.RemoveCreated();
      return alone.take_error();
    }
  }
  return chain;
}

// Enables each of `wanted` in the cgroup.subtree_control of every level, top
// down. One that a level's cgroup.controllers lacks, or that the kernel
// refuses there, is logged once and left out below. Returns what is
// enabled at every level.
std::vector<std::string> EnableTopDown(const std::vector<const Cgroup*>& levels, std::vector<std::string> wanted,
                                       const LogLine& log) {
  for (const Cgroup* level : levels) {
    auto available = level->Controllers();
    auto enabled = level->EnabledForChildren();
    if (!available.ok() || !enabled.ok()) {
      log(LOG_ERR, (available.ok() ? enabled.error() : available.error()).ToString() + "; enabling no controllers");
      return {};
    }
    std::vector<std::string> kept;
    for (const std::string& name : wanted) {
      if (!Contains(*available, name)) {
        log(LOG_NOTICE, "the " + name + " controller is not available in " + level->path() +
                            " (cgroup.controllers: \"" + kernel::FormatControllerList(*available) +
                            "\"), so users' cgroups go without it");
        continue;
      }
      Status on = Contains(*enabled, name) ? OkStatus() : level->EnableControllers({name});
      if (!on.ok()) {
        log(LOG_WARNING, on.error().ToString() + "; users' cgroups go without " + name);
        continue;
      }
      kept.push_back(name);
    }
    wanted = std::move(kept);
  }
  return wanted;
}

std::string Owner(const struct stat& status) { return "uid " + std::to_string(status.st_uid); }

// An existing node or leaf is used only when the user owns it already.
Status CheckOwnedBy(const Cgroup& cgroup, const SessionUser& user) {
  UXC_ASSIGN_OR_RETURN(struct stat status, cgroup.Stat());
  if (status.st_uid == user.uid) return OkStatus();
  return PlainError(cgroup.path() + " exists and is owned by " + Owner(status) + ", not by " + user.name + " (uid " +
                    std::to_string(user.uid) + "): refusing it; if it is stale, remove it with rmdir");
}

// A cgroup this call made: still root's (nobody swapped it), then handed over.
Status HandOverMade(const Cgroup& cgroup, const SessionUser& user, const std::vector<std::string>& files) {
  UXC_ASSIGN_OR_RETURN(struct stat status, cgroup.Stat());
  if (status.st_uid != 0) {
    return PlainError(cgroup.path() + " changed hands (" + Owner(status) + ") between its mkdir and its chown");
  }
  return cgroup.HandOver(user.uid, user.gid, files);
}

Status PrepareNode(const Opened& node, const SessionUser& user, const std::vector<std::string>& controllers,
                   const std::vector<std::string>& files, const LogLine& log) {
  if (!node.created) {
    UXC_RETURN_IF_ERROR(CheckOwnedBy(node.cgroup, user));
    // A controller enabled above since the node was made brings files the
    // user may write (memory.oom.group).
    return node.cgroup.HandOver(user.uid, user.gid, files);
  }
  (void)EnableTopDown({&node.cgroup}, controllers, log);
  return HandOverMade(node.cgroup, user, files);
}

Status PlaceInLeaf(const Cgroup& node, const SessionUser& user, pid_t pid, const std::vector<std::string>& files) {
  std::string name = LeafName(pid);
  UXC_ASSIGN_OR_RETURN(Opened leaf, CreateOrOpen(node, name, true));
  Status ready = leaf.created ? HandOverMade(leaf.cgroup, user, files) : CheckOwnedBy(leaf.cgroup, user);
  if (ready.ok()) ready = leaf.cgroup.AddProcess(pid);
  if (!ready.ok() && leaf.created) (void)node.RemoveChild(name);
  return ready;
}

Status PlaceSession(const Cgroup& base, const SessionUser& user, pid_t pid,
                    const std::vector<std::string>& controllers, const LogLine& log) {
  std::vector<std::string> files = kernel::DelegatableFiles();
  UXC_ASSIGN_OR_RETURN(Opened node, CreateOrOpen(base, user.name, true));
  Status placed = PrepareNode(node, user, controllers, files, log);
  if (placed.ok()) placed = PlaceInLeaf(node.cgroup, user, pid, files);
  if (!placed.ok() && node.created) (void)base.RemoveChild(user.name);
  return placed;
}

// Removes `name` below `parent` with the cgroups below it, deepest first;
// what still has processes stays.
void RemoveTree(const Cgroup& parent, const std::string& name, int depth) {
  auto child = parent.OpenChild(name);
  if (!child.ok()) return;
  auto below = child->Children();
  if (below.ok() && depth < kMaxRemovalDepth) {
    for (const std::string& grandchild : *below) RemoveTree(*child, grandchild, depth + 1);
  }
  (void)parent.RemoveChild(name);
}

// The node goes when nothing runs below it any more: no session and no
// container. Its session-* and uxc.* cgroups go with it; anything else the
// user made keeps it.
void RemoveNodeIfIdle(const Cgroup& base, const Cgroup& node, const std::string& name, const LogLine& log) {
  auto events = node.ReadEvents();
  if (!events.ok()) return log(LOG_ERR, events.error().ToString());
  if (events->populated) {
    return log(LOG_DEBUG, node.path() + " stays: processes still run in it (other sessions or containers)");
  }
  if (auto children = node.Children(); children.ok()) {
    for (const std::string& child : *children) {
      if (child.starts_with("session-") || child.starts_with("uxc.")) RemoveTree(node, child, 1);
    }
  }
  Status removed = base.RemoveChild(name);
  log(LOG_DEBUG, removed.ok() ? "removed " + node.path() : node.path() + " stays: " + removed.error().ToString());
}

Result<Cgroup> OpenPath(const Cgroup& root, const std::vector<std::string>& components) {
  UXC_ASSIGN_OR_RETURN(Cgroup at, Cgroup::Open(root.path()));
  for (const std::string& part : components) {
    UXC_ASSIGN_OR_RETURN(Cgroup next, at.OpenChild(part));
    at = std::move(next);
  }
  return at;
}

// This process must leave the leaf before the leaf can go: back to the
// cgroup it came from, or, when that is gone, beside the base.
Status LeaveLeaf(const BaseChain& chain, const std::string& origin) {
  auto back = OpenPath(chain.levels[0], PathComponents(origin));
  if (!origin.empty() && back.ok()) return back->AddProcess(getpid());
  return chain.levels[chain.levels.size() - 2].AddProcess(getpid());
}

}  // namespace

std::string LeafName(pid_t pid) { return "session-" + std::to_string(pid); }

Result<SessionPlace> OpenSessionCgroup(const ModuleArgs& args, const SessionUser& user, pid_t pid,
                                       const LogLine& log) {
  UXC_ASSIGN_OR_RETURN(Hierarchy hierarchy, ReadHierarchy());
  UXC_ASSIGN_OR_RETURN(BaseChain chain,
                       OpenBase(std::move(hierarchy.root), BaseComponents(args, hierarchy.init), true));
  std::vector<const Cgroup*> levels;
  for (const Cgroup& level : chain.levels) levels.push_back(&level);
  std::vector<std::string> controllers = EnableTopDown(levels, args.controllers, log);
  Status placed = PlaceSession(chain.base(), user, pid, controllers, log);
  if (!placed.ok()) {
    chain.RemoveCreated();
    return placed.take_error();
  }
  log(LOG_DEBUG, "process " + std::to_string(pid) + " of " + user.name + " is in " + chain.base().path() + "/" +
                     user.name + "/" + LeafName(pid));
  return SessionPlace{LeafName(pid), hierarchy.own};
}

Status CloseSessionCgroup(const ModuleArgs& args, const SessionUser& user, const SessionPlace& place,
                          const LogLine& log) {
  UXC_ASSIGN_OR_RETURN(Hierarchy hierarchy, ReadHierarchy());
  std::vector<std::string> components = BaseComponents(args, hierarchy.init);
  auto chain = OpenBase(std::move(hierarchy.root), components, false);
  if (!chain.ok() && chain.error().errno_value == ENOENT) {
    log(LOG_DEBUG, "no " + JoinPath(components) + " in the cgroup2 hierarchy: nothing to remove");
    return OkStatus();
  }
  if (!chain.ok()) return chain.take_error();
  auto node = chain->base().OpenChild(user.name);
  if (!node.ok() && node.error().errno_value == ENOENT) {
    log(LOG_DEBUG, "no " + chain->base().path() + "/" + user.name + ": nothing to remove");
    return OkStatus();
  }
  if (!node.ok()) return node.take_error();
  UXC_RETURN_IF_ERROR(CheckOwnedBy(*node, user));
  components.push_back(user.name);
  components.push_back(place.leaf);
  if (hierarchy.own == JoinPath(components)) UXC_RETURN_IF_ERROR(LeaveLeaf(*chain, place.origin));
  Status removed = node->RemoveChild(place.leaf);
  if (!removed.ok() && removed.error().errno_value != ENOENT) {
    log(LOG_DEBUG, node->path() + "/" + place.leaf + " stays: " + removed.error().ToString());
  }
  RemoveNodeIfIdle(chain->base(), *node, user.name, log);
  return OkStatus();
}

}  // namespace uxc::pam

// What `uxc checkconfig` learns about the host and the caller. Gathering
// (host_facts.cc) reads the kernel and the policy files; judging
// (checkconfig_checks.cc) is pure code tested on fixtures.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "config/nic_db.h"
#include "config/subid.h"
#include "config/usernet.h"
#include "launcher/cli/search_permission.h"

namespace uxc::cli {

struct HelperFacts {
  std::string name;        // "uxc-newuidmap"
  std::string setting;     // its uxc.conf key, "uxc.newuidmap"
  std::string configured;  // the path set in uxc.conf, or ""
  std::string path;        // where it was found, or "" when nowhere
  bool executable = false;
  bool setuid_root = false;
  bool file_capabilities = false;
  // uxc-newidmap: uxc does without it (the pair stands in), and does not use
  // it when uxc.conf names a helper of the pair (`bypassed`).
  bool optional = false;
  bool bypassed = false;
};

// The caller's own cgroup v2 directory.
struct Cgroup2DirFacts {
  std::string path;             // on disk, under the cgroup2 mount
  bool writable = false;        // the directory, cgroup.procs and cgroup.subtree_control, by the caller
  std::string controllers;      // cgroup.controllers
  std::string subtree_control;  // cgroup.subtree_control
};

// A policy file's parse result, or why it could not be had.
template <typename T>
struct FileFacts {
  std::string path;
  std::optional<Error> error;   // errno_value ENOENT when the file is absent
  std::vector<T> records;
};

struct HostFacts {
  std::string user;                    // the caller's login name ("" when uid has none)
  uid_t uid = 0;
  std::vector<std::string> groups;     // names of the primary and supplementary groups
  std::optional<Error> settings_error; // uxc.conf could not be loaded

  std::string kernel_release;          // uname -r
  std::vector<std::string> namespaces; // entries of /proc/self/ns
  std::string kernel_config_source;    // the file read, or "" when none was readable
  std::string kernel_config;
  std::optional<std::string> max_user_namespaces;     // /proc/sys/user/max_user_namespaces
  std::optional<std::string> unprivileged_userns_clone;  // Debian's older kernels
  std::optional<std::string> apparmor_restrict_userns;   // Ubuntu 23.10+
  int userns_probe_errno = 0;          // unshare(CLONE_NEWUSER) in a child: 0 when it worked

  std::string mountinfo;               // /proc/self/mountinfo
  std::string self_cgroup;             // /proc/self/cgroup
  std::string cgroup2_root_controllers;  // cgroup.controllers at the cgroup2 mount's root
  std::optional<Cgroup2DirFacts> own_cgroup2;

  FileFacts<config::SubidRange> subuid;
  FileFacts<config::SubidRange> subgid;

  std::vector<HelperFacts> helpers;    // newidmap, newuidmap, newgidmap, user_nic

  FileFacts<config::UsernetEntry> usernet;
  FileFacts<config::NicRecord> nic_db;
  std::map<std::string, bool> bridges; // each bridge named in the caller's usernet lines: is it a bridge?

  // The container path (uxc.conf's uxc.lxcpath) and each existing directory
  // from / down to it, which container root must be able to search.
  std::string container_path;
  std::vector<DirectoryFacts> container_path_dirs;
};

// Reads everything above for the calling process. Never fails: what cannot
// be read is recorded as such.
HostFacts GatherHostFacts();

}  // namespace uxc::cli

// Typed parsers for single config values. The loader validates every value
// with these; the runtime parses the validated strings again to act on them.
// Each returns a PlainError whose message says what is wrong and what a
// valid value looks like (the loader adds file:line and the key).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace uxc::config {

// lxc.idmap: "u|g|b NSID HOSTID RANGE".
struct IdMapping {
  enum class Kind { kUid, kGid, kBoth } kind;
  uint32_t inside = 0;
  uint32_t outside = 0;
  uint32_t count = 0;
};
Result<IdMapping> ParseIdMapping(std::string_view value);
// The whole set of lxc.idmap lines: each valid, no overflow, and no overlap
// among uid (resp. gid) ranges on either side.
Result<std::vector<IdMapping>> ParseIdMappings(const std::vector<std::string>& values);

// "SIGTERM", "TERM", "15", "SIGRTMIN+3", "RTMIN+3", "SIGRTMAX-2".
Result<int> ParseSignal(std::string_view value);

// "1", "true", "yes", "on" / "0", "false", "no", "off" (case-insensitive).
Result<bool> ParseBool(std::string_view value);

// The host directory that lxc.rootfs.path names ("dir:/x" or "/x"); empty
// for another storage type or a relative path.
std::string RootfsDirectory(std::string_view value);

// Bytes: "4096", "64k", "512M", "2G", "1T" (binary multiples, optional "B"/"iB").
Result<uint64_t> ParseSize(std::string_view value);

// lxc.mount.entry: fstab syntax "SOURCE TARGET TYPE OPTIONS [DUMP [PASS]]".
// Options are split into mount flags (MS_*), flags for a remount-after-bind
// (ro, nosuid, nodev, noexec on a bind), data for the filesystem, and LXC's
// own options (create=dir|file, optional, relative).
struct MountEntry {
  std::string source;
  std::string target;  // as written; relative targets are relative to the rootfs
  std::string fstype;
  unsigned long flags = 0;          // MS_* for the mount call (MS_BIND, MS_REC, ...)
  unsigned long propagation = 0;    // MS_PRIVATE/MS_SLAVE/MS_SHARED/MS_UNBINDABLE (+MS_REC)
  std::string data;                 // comma-joined options the filesystem gets
  enum class Create { kNone, kDir, kFile } create = Create::kNone;
  bool optional = false;
  bool relative = false;
  bool is_bind() const;
};
Result<MountEntry> ParseMountEntry(std::string_view value);

// lxc.net.N.hwaddr: "00:16:3e:xx:xx:xx"; 'x' digits are filled at start.
struct HwAddrTemplate {
  std::string pattern;  // normalised to lower case
};
Result<HwAddrTemplate> ParseHwAddr(std::string_view value);

// lxc.net.N.ipv4.address / ipv6.address: "ADDR/PREFIX [BROADCAST]".
struct IpAddress {
  int family = 0;          // AF_INET or AF_INET6
  uint8_t bytes[16] = {};  // network order; first 4 used for IPv4
  int prefix = 0;
  bool has_broadcast = false;
  uint8_t broadcast[4] = {};
  std::string ToString() const;  // "10.0.3.5/24"
};
Result<IpAddress> ParseIpAddress(std::string_view value, int family);
// Without a prefix, LXC's defaults apply: the class of an IPv4 address
// (A: 8, B: 16, C: 24, otherwise 0) and 64 for IPv6.

// lxc.net.N.ipv4.gateway / ipv6.gateway: an address, "auto" (the first
// address of the interface's bridge) or "dev" (a device route).
struct Gateway {
  enum class Kind { kAddress, kAuto, kDevice } kind = Kind::kAddress;
  IpAddress address;  // for kAddress; prefix unused
};
Result<Gateway> ParseGateway(std::string_view value, int family);

// lxc.cap.drop / lxc.cap.keep entries, libcap names with or without "cap_"
// ("sys_admin", "CAP_NET_RAW"); "none" only for keep. Returns CAP_* values.
Result<std::vector<int>> ParseCapabilities(std::string_view value);

// lxc.cgroup2.<controller>.<file> keys: "memory.max", "cpu.weight", ...
struct CgroupSetting {
  std::string controller;
  std::string file;  // "memory.max"
};
// `key` may carry the "lxc.cgroup2." prefix or not.
Result<CgroupSetting> ParseCgroup2Key(std::string_view key);

// A decimal integer in [0, max]: lxc.tty.max, lxc.pty.max, lxc.start.delay,
// lxc.net.N.mtu, lxc.init.uid, ...
Result<uint64_t> ParseUnsigned(std::string_view value, uint64_t max);

// lxc.prlimit.<resource>: the resource name without "RLIMIT_", any case
// ("nofile", "NOFILE"); returns RLIMIT_*.
Result<int> ParsePrlimitResource(std::string_view name);
// The value: "unlimited", "N", or "SOFT:HARD" where each side is either.
// Unlimited is RLIM_INFINITY. A soft limit above the hard one is an error.
struct Prlimit {
  uint64_t soft = 0;
  uint64_t hard = 0;
};
Result<Prlimit> ParsePrlimit(std::string_view value);

// lxc.mount.auto: the categories proc, sys and cgroup (and LXC's shmounts),
// each with a mode. Tokens of a later line replace only their own category,
// so "cgroup:mixed proc:mixed sys:mixed" followed by "sys:rw" gives
// "proc:mixed sys:rw cgroup:mixed" (LXC's set_config_mount_auto).
struct MountAuto {
  enum class Proc { kNone, kMixed, kRw } proc = Proc::kNone;
  enum class Sys { kNone, kRo, kMixed, kRw } sys = Sys::kNone;
  // "cgroup" without a mode (kDefault) means mixed when the container has no
  // CAP_SYS_ADMIN and rw otherwise; "cgroup-full" mounts the whole hierarchy.
  enum class Cgroup {
    kNone, kDefault, kMixed, kRo, kRw,
    kFullDefault, kFullMixed, kFullRo, kFullRw,
    kCgroup2Rw, kCgroup2Ro,
  } cgroup = Cgroup::kNone;
  bool cgroup_force = false;
  // "shmounts:HOST[:CONTAINER]"; CONTAINER defaults to /dev/.lxc-mounts.
  std::string shmounts_host;
  std::string shmounts_container;

  bool empty() const;
  // The tokens in canonical order: "proc:mixed sys:rw cgroup:mixed".
  std::string ToString() const;
};
// Applies the tokens of one lxc.mount.auto value on top of `into`. On error
// `into` is unchanged.
Status ApplyMountAuto(std::string_view value, MountAuto* into);
Result<MountAuto> ParseMountAuto(std::string_view value);

}  // namespace uxc::config

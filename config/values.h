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

// lxc.cap.drop / lxc.cap.keep entries, libcap names with or without "cap_"
// ("sys_admin", "CAP_NET_RAW"); "none" only for keep. Returns CAP_* values.
Result<std::vector<int>> ParseCapabilities(std::string_view value);

// lxc.cgroup2.<controller>.<file> keys: "memory.max", "cpu.weight", ...
struct CgroupSetting {
  std::string controller;
  std::string file;  // "memory.max"
};
Result<CgroupSetting> ParseCgroup2Key(std::string_view key);

}  // namespace uxc::config

// Value checks for the key table (keys.cc): one function per kind of value.
// Each takes the full key and a non-empty value and says what is wrong and
// what a valid value looks like.
#pragma once

#include <string_view>

#include "base/error.h"

namespace uxc::config::validators {

Status AnyText(std::string_view key, std::string_view value);
Status Path(std::string_view key, std::string_view value);
Status DevDirectoryName(std::string_view key, std::string_view value);  // "lxc" (lxc.tty.dir)
Status Bool(std::string_view key, std::string_view value);
Status Signal(std::string_view key, std::string_view value);
Status Count(std::string_view key, std::string_view value);      // 0..INT_MAX
Status SignedInt(std::string_view key, std::string_view value);  // INT_MIN..INT_MAX
Status Id(std::string_view key, std::string_view value);         // 0..4294967294
Status IdList(std::string_view key, std::string_view value);     // "1,2,3" (lxc.init.groups)
Status SizeOrAuto(std::string_view key, std::string_view value);
Status IdMap(std::string_view key, std::string_view value);
Status MountEntry(std::string_view key, std::string_view value);
Status MountAuto(std::string_view key, std::string_view value);
Status CapDrop(std::string_view key, std::string_view value);
Status CapKeep(std::string_view key, std::string_view value);
Status Environment(std::string_view key, std::string_view value);
Status Arch(std::string_view key, std::string_view value);
Status LogLevel(std::string_view key, std::string_view value);
Status SyslogFacility(std::string_view key, std::string_view value);
Status HookVersion(std::string_view key, std::string_view value);
Status Namespaces(std::string_view key, std::string_view value);
Status NamespaceShare(std::string_view key, std::string_view value);
Status TimeOffset(std::string_view key, std::string_view value);
Status Cgroup2(std::string_view key, std::string_view value);
Status Cgroup1(std::string_view key, std::string_view value);
Status Prlimit(std::string_view key, std::string_view value);
Status Sysctl(std::string_view key, std::string_view value);
Status Proc(std::string_view key, std::string_view value);
Status UxcSettingElsewhere(std::string_view key, std::string_view value);

// lxc.net.N.*
Status NetType(std::string_view key, std::string_view value);
Status NetFlags(std::string_view key, std::string_view value);
Status InterfaceName(std::string_view key, std::string_view value);
Status HwAddr(std::string_view key, std::string_view value);
Status Mtu(std::string_view key, std::string_view value);
Status Ipv4Address(std::string_view key, std::string_view value);
Status Ipv6Address(std::string_view key, std::string_view value);
Status Ipv4Gateway(std::string_view key, std::string_view value);
Status Ipv6Gateway(std::string_view key, std::string_view value);
Status Ipv4Route(std::string_view key, std::string_view value);
Status Ipv6Route(std::string_view key, std::string_view value);
Status VethMode(std::string_view key, std::string_view value);
Status MacvlanMode(std::string_view key, std::string_view value);
Status IpvlanMode(std::string_view key, std::string_view value);
Status IpvlanIsolation(std::string_view key, std::string_view value);
Status VlanId(std::string_view key, std::string_view value);
Status QueueCount(std::string_view key, std::string_view value);

}  // namespace uxc::config::validators

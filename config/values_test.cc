#include "config/values.h"

#include <arpa/inet.h>
#include <signal.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <gtest/gtest.h>

namespace uxc::config {
namespace {

std::string ErrorOf(const Error& error) { return error.message; }

TEST(ParseBool, AcceptsLxcAndCommonSpellings) {
  for (const char* yes : {"1", "true", "TRUE", "yes", "on", " On "}) EXPECT_TRUE(*ParseBool(yes)) << yes;
  for (const char* no : {"0", "false", "no", "off", "OFF"}) EXPECT_FALSE(*ParseBool(no)) << no;
}

TEST(ParseBool, RejectsOtherWords) {
  Result<bool> result = ParseBool("2");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(ErrorOf(result.error()).find("use 1 or 0"), std::string::npos);
  EXPECT_FALSE(ParseBool("").ok());
  EXPECT_FALSE(ParseBool("enabled").ok());
}

TEST(ParseUnsigned, ParsesWithinRange) {
  EXPECT_EQ(*ParseUnsigned("0", 10), 0u);
  EXPECT_EQ(*ParseUnsigned("10", 10), 10u);
  EXPECT_EQ(*ParseUnsigned("18446744073709551615", UINT64_MAX), UINT64_MAX);
}

TEST(ParseUnsigned, RejectsJunkSignsAndOverflow) {
  EXPECT_FALSE(ParseUnsigned("11", 10).ok());
  EXPECT_FALSE(ParseUnsigned("-1", 10).ok());
  EXPECT_FALSE(ParseUnsigned("+1", 10).ok());
  EXPECT_FALSE(ParseUnsigned("1x", 10).ok());
  EXPECT_FALSE(ParseUnsigned("", 10).ok());
  EXPECT_FALSE(ParseUnsigned("18446744073709551616", UINT64_MAX).ok());
  EXPECT_NE(ParseUnsigned("11", 10).error().message.find("largest allowed value is 10"),
            std::string::npos);
}

TEST(ParseSize, BinaryUnits) {
  EXPECT_EQ(*ParseSize("4096"), 4096u);
  EXPECT_EQ(*ParseSize("64k"), 64u * 1024);
  EXPECT_EQ(*ParseSize("64K"), 64u * 1024);
  EXPECT_EQ(*ParseSize("64kB"), 64u * 1024);
  EXPECT_EQ(*ParseSize("64KiB"), 64u * 1024);
  EXPECT_EQ(*ParseSize("512M"), 512ull << 20);
  EXPECT_EQ(*ParseSize("2G"), 2ull << 30);
  EXPECT_EQ(*ParseSize("1T"), 1ull << 40);
  EXPECT_EQ(*ParseSize("100B"), 100u);
  EXPECT_EQ(*ParseSize("3 M"), 3ull << 20);
}

TEST(ParseSize, RejectsBadSizes) {
  for (const char* bad : {"", "k", "1.5G", "-1", "12Q", "1iB", "1kk", "0x10"}) {
    Result<uint64_t> result = ParseSize(bad);
    EXPECT_FALSE(result.ok()) << bad;
  }
  EXPECT_NE(ParseSize("1.5G").error().message.find("e.g. 4096, 64k"), std::string::npos);
  EXPECT_FALSE(ParseSize("16777216T").ok());  // 2^64 bytes
}

TEST(ParseSignal, NamesNumbersAndRealtime) {
  EXPECT_EQ(*ParseSignal("SIGTERM"), SIGTERM);
  EXPECT_EQ(*ParseSignal("TERM"), SIGTERM);
  EXPECT_EQ(*ParseSignal("sigkill"), SIGKILL);
  EXPECT_EQ(*ParseSignal("15"), 15);
  EXPECT_EQ(*ParseSignal("SIGPWR"), SIGPWR);
  EXPECT_EQ(*ParseSignal("SIGRTMIN"), SIGRTMIN);
  EXPECT_EQ(*ParseSignal("SIGRTMIN+3"), SIGRTMIN + 3);
  EXPECT_EQ(*ParseSignal("RTMIN+4"), SIGRTMIN + 4);
  EXPECT_EQ(*ParseSignal("SIGRTMAX-2"), SIGRTMAX - 2);
  EXPECT_EQ(*ParseSignal(std::to_string(SIGRTMAX)), SIGRTMAX);
}

TEST(ParseSignal, RejectsUnknownAndOutOfRange) {
  for (const std::string& bad :
       {std::string("SIGFOO"), std::string("0"), std::to_string(SIGRTMAX + 1), std::string(""),
        std::string("SIGRTMIN+99"), std::string("SIGRTMAX+1"), std::string("SIGRTMIN-1"),
        std::string("SIGRTMIN3"), std::string("-9")}) {
    EXPECT_FALSE(ParseSignal(bad).ok()) << bad;
  }
  EXPECT_NE(ParseSignal("SIGFOO").error().message.find("SIGRTMIN+3"), std::string::npos);
}

TEST(ParseIdMapping, ParsesEachKind) {
  IdMapping uid = *ParseIdMapping("u 0 100000 65536");
  EXPECT_EQ(uid.kind, IdMapping::Kind::kUid);
  EXPECT_EQ(uid.inside, 0u);
  EXPECT_EQ(uid.outside, 100000u);
  EXPECT_EQ(uid.count, 65536u);
  EXPECT_EQ(ParseIdMapping("g 0 100000 1")->kind, IdMapping::Kind::kGid);
  EXPECT_EQ(ParseIdMapping("  b\t1000 1000   1 ")->kind, IdMapping::Kind::kBoth);
}

TEST(ParseIdMapping, RejectsMalformedLines) {
  for (const char* bad : {"", "u 0 100000", "u 0 100000 65536 1", "x 0 1 1", "u -1 0 1",
                          "u 0 100000 0", "u a 1 1", "u 0 4294967296 1"}) {
    EXPECT_FALSE(ParseIdMapping(bad).ok()) << bad;
  }
  EXPECT_NE(ParseIdMapping("x 0 1 1").error().message.find("u 0 100000 65536"), std::string::npos);
  EXPECT_NE(ParseIdMapping("u 0 1 0").error().message.find("range of 0"), std::string::npos);
}

TEST(ParseIdMapping, RejectsRangesRunningPastTheLastId) {
  EXPECT_TRUE(ParseIdMapping("u 0 4294967294 1").ok());
  Result<IdMapping> past_host = ParseIdMapping("u 0 4294967295 1");
  ASSERT_FALSE(past_host.ok());
  EXPECT_NE(past_host.error().message.find("largest id"), std::string::npos);
  EXPECT_FALSE(ParseIdMapping("u 4294967200 0 100").ok());
}

TEST(ParseIdMappings, AcceptsDisjointRanges) {
  Result<std::vector<IdMapping>> mappings = ParseIdMappings(
      {"u 0 100000 1000", "u 1000 1000 1", "u 1001 101001 64535", "g 0 100000 65536"});
  ASSERT_TRUE(mappings.ok()) << mappings.error().message;
  EXPECT_EQ(mappings->size(), 4u);
}

TEST(ParseIdMappings, RejectsOverlapInside) {
  Result<std::vector<IdMapping>> mappings = ParseIdMappings({"u 0 100000 1000", "u 999 300000 5"});
  ASSERT_FALSE(mappings.ok());
  EXPECT_NE(mappings.error().message.find("overlap on the container side"), std::string::npos);
  EXPECT_NE(mappings.error().message.find("uid mappings"), std::string::npos);
}

TEST(ParseIdMappings, RejectsOverlapOnTheHost) {
  Result<std::vector<IdMapping>> mappings = ParseIdMappings({"g 0 100000 1000", "g 5000 100500 5"});
  ASSERT_FALSE(mappings.ok());
  EXPECT_NE(mappings.error().message.find("overlap on the host side"), std::string::npos);
  EXPECT_NE(mappings.error().message.find("gid mappings"), std::string::npos);
}

TEST(ParseIdMappings, BothKindCountsForUidsAndGids) {
  EXPECT_FALSE(ParseIdMappings({"b 0 100000 10", "g 5 200000 1"}).ok());
  EXPECT_TRUE(ParseIdMappings({"u 0 100000 10", "g 0 100000 10"}).ok());
}

TEST(ParseIdMappings, RejectsMoreExtentsThanTheKernelTakes) {
  std::vector<std::string> lines;
  for (int i = 0; i < 341; ++i) lines.push_back("u " + std::to_string(i) + " " + std::to_string(100000 + i) + " 1");
  Result<std::vector<IdMapping>> mappings = ParseIdMappings(lines);
  ASSERT_FALSE(mappings.ok());
  EXPECT_NE(mappings.error().message.find("at most 340"), std::string::npos);
  lines.pop_back();
  EXPECT_TRUE(ParseIdMappings(lines).ok());
}

TEST(ParseMountEntry, BindWithLxcOptions) {
  MountEntry entry =
      *ParseMountEntry("/sys/fs/fuse/connections sys/fs/fuse/connections none bind,optional 0 0");
  EXPECT_EQ(entry.source, "/sys/fs/fuse/connections");
  EXPECT_EQ(entry.target, "sys/fs/fuse/connections");
  EXPECT_EQ(entry.fstype, "none");
  EXPECT_TRUE(entry.is_bind());
  EXPECT_TRUE(entry.optional);
  EXPECT_EQ(entry.create, MountEntry::Create::kNone);
  EXPECT_EQ(entry.data, "");
}

TEST(ParseMountEntry, FlagsDataAndCreate) {
  MountEntry entry = *ParseMountEntry(
      "shm dev/shm tmpfs rw,nodev,noexec,nosuid,relatime,mode=1777,create=dir 0 0");
  EXPECT_EQ(entry.flags, static_cast<unsigned long>(MS_NODEV | MS_NOEXEC | MS_NOSUID | MS_RELATIME));
  EXPECT_EQ(entry.data, "mode=1777");
  EXPECT_EQ(entry.create, MountEntry::Create::kDir);
  EXPECT_FALSE(entry.is_bind());
  EXPECT_EQ(ParseMountEntry("/etc/hosts etc/hosts none bind,ro,create=file")->create,
            MountEntry::Create::kFile);
}

TEST(ParseMountEntry, LaterOptionWinsAndPropagation) {
  MountEntry entry = *ParseMountEntry("/a a none rbind,ro,rw,rslave,relative 0 0");
  EXPECT_EQ(entry.flags, static_cast<unsigned long>(MS_BIND | MS_REC));
  EXPECT_EQ(entry.propagation, static_cast<unsigned long>(MS_SLAVE | MS_REC));
  EXPECT_TRUE(entry.relative);
}

TEST(ParseMountEntry, ThreeFieldsAndOctalEscapes) {
  MountEntry entry = *ParseMountEntry("/my\\040dir mnt/a\\134b none");
  EXPECT_EQ(entry.source, "/my dir");
  EXPECT_EQ(entry.target, "mnt/a\\b");
  EXPECT_EQ(entry.flags, 0u);
}

TEST(ParseMountEntry, RejectsMalformedEntries) {
  for (const char* bad : {"", "/a b", "/a b none bind 0 0 0", "/a b none bind x 0",
                          "/a b none create=socket 0 0"}) {
    EXPECT_FALSE(ParseMountEntry(bad).ok()) << bad;
  }
  EXPECT_NE(ParseMountEntry("/a b").error().message.find("fstab(5)"), std::string::npos);
  EXPECT_NE(ParseMountEntry("/a b none create=socket").error().message.find("create=dir or create=file"),
            std::string::npos);
}

TEST(ParseHwAddr, AcceptsPlaceholdersAndNormalises) {
  EXPECT_EQ(ParseHwAddr("00:16:3E:xx:xx:xx")->pattern, "00:16:3e:xx:xx:xx");
  EXPECT_EQ(ParseHwAddr("10:66:6a:12:34:56")->pattern, "10:66:6a:12:34:56");
  EXPECT_TRUE(ParseHwAddr("xx:xx:xx:xx:xx:xx").ok());
}

TEST(ParseHwAddr, RejectsBadAddresses) {
  for (const char* bad : {"", "00:16:3e:xx:xx", "00:16:3e:xx:xx:xx:xx", "00:16:3e:xy:00:00",
                          "0:16:3e:00:00:00", "00-16-3e-00-00-00"}) {
    EXPECT_FALSE(ParseHwAddr(bad).ok()) << bad;
  }
  Result<HwAddrTemplate> multicast = ParseHwAddr("01:00:5e:00:00:01");
  ASSERT_FALSE(multicast.ok());
  EXPECT_NE(multicast.error().message.find("multicast"), std::string::npos);
}

TEST(ParseIpAddress, Ipv4WithPrefixAndBroadcast) {
  IpAddress address = *ParseIpAddress("10.0.3.5/24 10.0.3.255", AF_INET);
  EXPECT_EQ(address.family, AF_INET);
  EXPECT_EQ(address.prefix, 24);
  EXPECT_TRUE(address.has_broadcast);
  EXPECT_EQ(address.bytes[0], 10);
  EXPECT_EQ(address.bytes[3], 5);
  EXPECT_EQ(address.broadcast[3], 255);
  EXPECT_EQ(address.ToString(), "10.0.3.5/24 10.0.3.255");
}

TEST(ParseIpAddress, DefaultPrefixesAsLxc) {
  EXPECT_EQ(ParseIpAddress("10.1.2.3", AF_INET)->prefix, 8);
  EXPECT_EQ(ParseIpAddress("172.16.0.1", AF_INET)->prefix, 16);
  EXPECT_EQ(ParseIpAddress("192.168.1.1", AF_INET)->prefix, 24);
  EXPECT_EQ(ParseIpAddress("fd00::5", AF_INET6)->prefix, 64);
  EXPECT_EQ(ParseIpAddress("fd00::5/48", AF_INET6)->ToString(), "fd00::5/48");
}

TEST(ParseIpAddress, RejectsBadAddresses) {
  for (const char* bad : {"", "10.0.3/24", "10.0.3.5/33", "10.0.3.5/", "10.0.3.5/24 x",
                          "10.0.3.5/24 1.2.3.4 5.6.7.8", "fd00::1"}) {
    EXPECT_FALSE(ParseIpAddress(bad, AF_INET).ok()) << bad;
  }
  EXPECT_FALSE(ParseIpAddress("fd00::1/129", AF_INET6).ok());
  EXPECT_FALSE(ParseIpAddress("fd00::1/64 fd00::ff", AF_INET6).ok());
  EXPECT_FALSE(ParseIpAddress("10.0.0.1/8", AF_INET6).ok());
  EXPECT_NE(ParseIpAddress("10.0.3.5/33", AF_INET).error().message.find("0 to 32"),
            std::string::npos);
}

TEST(ParseGateway, AddressAutoAndDev) {
  EXPECT_EQ(ParseGateway("auto", AF_INET)->kind, Gateway::Kind::kAuto);
  EXPECT_EQ(ParseGateway("dev", AF_INET6)->kind, Gateway::Kind::kDevice);
  Gateway gateway = *ParseGateway("10.0.3.1", AF_INET);
  EXPECT_EQ(gateway.kind, Gateway::Kind::kAddress);
  EXPECT_EQ(gateway.address.bytes[3], 1);
  EXPECT_FALSE(ParseGateway("10.0.3.1/24", AF_INET).ok());
  EXPECT_FALSE(ParseGateway("fe80::1", AF_INET).ok());
}

TEST(ParseCapabilities, NamesWithAndWithoutPrefix) {
  std::vector<int> caps = *ParseCapabilities("sys_admin CAP_NET_RAW  mknod");
  EXPECT_EQ(caps, (std::vector<int>{CAP_SYS_ADMIN, CAP_NET_RAW, CAP_MKNOD}));
  EXPECT_TRUE(ParseCapabilities("none")->empty());
}

TEST(ParseCapabilities, RejectsUnknownNamesAndMixedNone) {
  Result<std::vector<int>> unknown = ParseCapabilities("sys_admn");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("sys_admn"), std::string::npos);
  EXPECT_FALSE(ParseCapabilities("none sys_admin").ok());
  EXPECT_FALSE(ParseCapabilities("").ok());
}

TEST(ParseCgroup2Key, ControllerAndFile) {
  CgroupSetting setting = *ParseCgroup2Key("lxc.cgroup2.memory.max");
  EXPECT_EQ(setting.controller, "memory");
  EXPECT_EQ(setting.file, "memory.max");
  EXPECT_EQ(ParseCgroup2Key("cpu.weight")->controller, "cpu");
  EXPECT_EQ(ParseCgroup2Key("devices.allow")->controller, "devices");
  EXPECT_EQ(ParseCgroup2Key("memory.swap.max")->file, "memory.swap.max");
}

TEST(ParseCgroup2Key, RejectsUnknownControllersAndNames) {
  for (const char* bad : {"memory", "memory.", "blkio.weight", "lxc.cgroup2.", "memory.ma x",
                          "memory.../x/", "Memory.max"}) {
    EXPECT_FALSE(ParseCgroup2Key(bad).ok()) << bad;
  }
  EXPECT_NE(ParseCgroup2Key("blkio.weight").error().message.find("lxc.cgroup2.memory.max"),
            std::string::npos);
}

TEST(ParsePrlimit, ValuesAndResources) {
  Prlimit both = *ParsePrlimit("1024");
  EXPECT_EQ(both.soft, 1024u);
  EXPECT_EQ(both.hard, 1024u);
  Prlimit split = *ParsePrlimit("1024:unlimited");
  EXPECT_EQ(split.soft, 1024u);
  EXPECT_EQ(split.hard, RLIM_INFINITY);
  EXPECT_EQ(ParsePrlimit("unlimited")->soft, RLIM_INFINITY);
  EXPECT_EQ(*ParsePrlimitResource("nofile"), RLIMIT_NOFILE);
  EXPECT_EQ(*ParsePrlimitResource("NPROC"), RLIMIT_NPROC);
  EXPECT_EQ(*ParsePrlimitResource("RLIMIT_CORE"), RLIMIT_CORE);
}

TEST(ParsePrlimit, RejectsBadLimits) {
  for (const char* bad : {"", "x", "10:", ":10", "unlimited:10", "20:10", "1:2:3"}) {
    EXPECT_FALSE(ParsePrlimit(bad).ok()) << bad;
  }
  EXPECT_NE(ParsePrlimit("20:10").error().message.find("SOFT <= HARD"), std::string::npos);
  Result<int> resource = ParsePrlimitResource("nofiles");
  ASSERT_FALSE(resource.ok());
  EXPECT_NE(resource.error().message.find("nofile"), std::string::npos);
}

TEST(MountAuto, MergesPerCategoryAsLxc) {
  MountAuto mount_auto = *ParseMountAuto("cgroup:mixed proc:mixed sys:mixed");
  ASSERT_TRUE(ApplyMountAuto("sys:rw", &mount_auto).ok());
  EXPECT_EQ(mount_auto.proc, MountAuto::Proc::kMixed);
  EXPECT_EQ(mount_auto.sys, MountAuto::Sys::kRw);
  EXPECT_EQ(mount_auto.cgroup, MountAuto::Cgroup::kMixed);
  EXPECT_EQ(mount_auto.ToString(), "proc:mixed sys:rw cgroup:mixed");
}

TEST(MountAuto, TokensAndForms) {
  EXPECT_EQ(ParseMountAuto("proc sys cgroup")->ToString(), "proc:mixed sys:mixed cgroup");
  MountAuto forced = *ParseMountAuto("cgroup-full:ro:force");
  EXPECT_EQ(forced.cgroup, MountAuto::Cgroup::kFullRo);
  EXPECT_TRUE(forced.cgroup_force);
  EXPECT_EQ(forced.ToString(), "cgroup-full:ro:force");
  EXPECT_EQ(ParseMountAuto("cgroup2:ro")->cgroup, MountAuto::Cgroup::kCgroup2Ro);
  MountAuto shared = *ParseMountAuto("shmounts:/srv/shared");
  EXPECT_EQ(shared.shmounts_host, "/srv/shared");
  EXPECT_EQ(shared.shmounts_container, "/dev/.lxc-mounts");
  EXPECT_EQ(ParseMountAuto("shmounts:/a:/b")->shmounts_container, "/b");
  EXPECT_TRUE(ParseMountAuto("")->empty());
}

TEST(MountAuto, RejectsUnknownTokensWithoutChangingTheValue) {
  MountAuto mount_auto = *ParseMountAuto("proc:rw");
  Status status = ApplyMountAuto("sys:rw proc:bogus", &mount_auto);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("proc:bogus"), std::string::npos);
  EXPECT_EQ(mount_auto.ToString(), "proc:rw");
  EXPECT_FALSE(ParseMountAuto("shmounts:").ok());
}

}  // namespace
}  // namespace uxc::config

namespace uxc::config {
namespace {

TEST(RootfsDirectoryTest, DirectoriesOnly) {
  EXPECT_EQ(RootfsDirectory("dir:/home/u/c1/rootfs/"), "/home/u/c1/rootfs");
  EXPECT_EQ(RootfsDirectory("/r"), "/r");
  EXPECT_EQ(RootfsDirectory("overlay:/a:/b"), "");
  EXPECT_EQ(RootfsDirectory("relative"), "");
  EXPECT_EQ(RootfsDirectory(""), "");
}

}  // namespace
}  // namespace uxc::config

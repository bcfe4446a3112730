#include "launcher/engine/build_limits.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "config/container_config.h"

namespace uxc::launcher {
namespace {

using config::Classification;
using config::Classify;
using config::FindKey;
using config::Support;

Classification ClassifyHere(std::string_view key, std::string_view value) {
  return Classify(*FindKey(key), value, BuildLimits());
}

std::vector<std::string> WarningsOf(const std::string& text) {
  auto config = config::ParseContainerConfigText(text, "c.conf", BuildLimits());
  EXPECT_TRUE(config.ok()) << config.error().ToString();
  std::vector<std::string> warnings;
  if (config.ok()) {
    for (const config::Warning& warning : config->warnings()) warnings.push_back(warning.ToString());
  }
  return warnings;
}

TEST(BuildLimits, EachNamesAPatternOfTheKeyTable) {
  std::set<std::string_view> patterns;
  for (const config::KeyInfo* info : config::AllKeys()) patterns.insert(info->pattern);
  for (const config::BuildLimit& limit : BuildLimits()) {
    EXPECT_TRUE(patterns.contains(limit.pattern)) << limit.pattern;
    EXPECT_TRUE(limit.reason_for != nullptr || limit.reason.starts_with("ignored: ")) << limit.pattern;
  }
}

// The warnings a user sees for what this build cannot do, word for word.
TEST(BuildLimits, WarnAboutWhatThisBuildCannotDo) {
  std::vector<std::string> warnings = WarningsOf(
      "lxc.net.0.type = veth\n"
      "lxc.net.0.link = br0\n"
      "lxc.net.0.name = eth0\n"
      "lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx\n"
      "lxc.net.0.ipv4.address = 10.0.3.5/24\n"
      "lxc.net.0.ipv4.gateway = 10.0.3.1\n"
      "lxc.net.0.ipv6.address = fd00::5/64\n"
      "lxc.net.0.ipv6.gateway = fd00::1\n"
      "lxc.net.0.script.up = /bin/true\n"
      "lxc.net.0.script.down = /bin/true\n"
      "lxc.net.0.veth.mode = bridge\n"
      "lxc.namespace.clone = user mnt time\n"
      "lxc.time.offset.boot = 10s\n"
      "lxc.time.offset.monotonic = 10s\n"
      "lxc.namespace.share.net = /proc/1/ns/net\n"
      "lxc.mount.auto = proc shmounts:/a:/b\n"
      "lxc.rootfs.path = overlay:/a:/b\n"
      "lxc.console.path = /dev/tty1\n"
      "lxc.cgroup2.memory.max = 1G\n");
  // The veth keys start (uxc-user-nic): no warning for lines 1 to 11.
  std::vector<std::string> expected = {
      "c.conf:12: lxc.namespace.clone is ignored: uxc does not create a time namespace yet, so a "
      "start that asks for one is refused; remove \"time\"",
      "c.conf:13: lxc.time.offset.boot is ignored: uxc does not create a time namespace, so the "
      "container's clocks are the host's",
      "c.conf:14: lxc.time.offset.monotonic is ignored: uxc does not create a time namespace, so "
      "the container's clocks are the host's",
      "c.conf:15: lxc.namespace.share.net is ignored: uxc cannot join another container's or "
      "process's namespaces yet, so a start with the key is refused; remove it (lxc.net.0.type = "
      "none shares the host's network)",
      "c.conf:16: lxc.mount.auto is ignored: uxc does not share a host directory for mounts "
      "(shmounts:), so a start with it is refused; bind-mount a directory with lxc.mount.entry "
      "instead",
      "c.conf:17: lxc.rootfs.path is ignored: uxc runs a directory rootfs only, so a start "
      "refuses the overlay storage type; use dir:PATH or PATH",
      "c.conf:18: lxc.console.path is ignored: uxc gives the container a pty as its console and "
      "cannot use a host device instead, so a start with one is refused; leave the key unset or "
      "set none",
  };
  EXPECT_EQ(warnings, expected);
}

TEST(BuildLimits, CoverOnlyTheValuesThisBuildCannotRun) {
  EXPECT_EQ(ClassifyHere("lxc.net.0.type", "empty").support, Support::kSupported);
  EXPECT_EQ(ClassifyHere("lxc.net.0.type", "none").support, Support::kSupported);
  EXPECT_EQ(ClassifyHere("lxc.net.0.type", "veth").support, Support::kSupported);
  EXPECT_EQ(ClassifyHere("lxc.console.path", "none").support, Support::kSupported);
  EXPECT_EQ(ClassifyHere("lxc.namespace.clone", "user mnt pid").support, Support::kSupported);
  EXPECT_EQ(ClassifyHere("lxc.namespace.clone", "user timer").support, Support::kSupported);
  EXPECT_EQ(ClassifyHere("lxc.mount.auto", "proc:mixed sys:ro").support, Support::kSupported);
  EXPECT_EQ(ClassifyHere("lxc.rootfs.path", "dir:/a").support, Support::kSupported);
  EXPECT_EQ(ClassifyHere("lxc.rootfs.path", "/a").support, Support::kSupported);
}

// What needs root stays an error, whatever this build can do.
TEST(BuildLimits, NeedingRootComesFirst) {
  EXPECT_EQ(ClassifyHere("lxc.net.0.veth.mode", "router").support, Support::kNeedsRoot);
  EXPECT_EQ(ClassifyHere("lxc.rootfs.path", "zfs:pool/c1").support, Support::kNeedsRoot);
  EXPECT_EQ(ClassifyHere("lxc.rootfs.path", "/dev/sda1").support, Support::kNeedsRoot);
  for (const char* type : {"phys", "macvlan", "ipvlan", "vlan"}) {
    EXPECT_EQ(ClassifyHere("lxc.net.0.type", type).support, Support::kNeedsRoot) << type;
  }
  Classification devices = ClassifyHere("lxc.cgroup2.devices.allow", "a");
  EXPECT_EQ(devices.support, Support::kLimited);
  EXPECT_NE(devices.reason.find("BPF program"), std::string::npos) << devices.reason;
}

}  // namespace
}  // namespace uxc::launcher

#include "launcher/templates/image_config_filter.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

std::vector<std::string> LeftOutTexts(const FilteredImageText& filtered) {
  std::vector<std::string> texts;
  for (const LeftOutLine& line : filtered.left_out) texts.push_back(line.text);
  return texts;
}

TEST(ImageConfigFilterTest, WhatLxcImagesSetIsKept) {
  std::string config =
      "# Distribution configuration\n"
      "lxc.include = LXC_TEMPLATE_CONFIG/debian.common.conf\n"
      "lxc.include = LXC_TEMPLATE_CONFIG/debian.userns.conf\n"
      "lxc.arch = x86_64\n"
      "lxc.environment = ROOT=LXC_ROOTFS\n"
      "lxc.hook.version = 1\n"
      "lxc.hook =\n"
      "lxc.mount.auto = cgroup:mixed proc:mixed sys:mixed\n"
      "lxc.mount.entry = tmpfs tmp tmpfs size=10%,mode=1777 0 0\n"
      "lxc.mount.entry = mqueue dev/mqueue mqueue rw,relatime,create=dir,optional 0 0\n"
      "lxc.net.0.type = veth\n"
      "lxc.cap.drop = sys_admin\n";
  FilteredImageText filtered = FilterImageConfig(config);
  EXPECT_TRUE(filtered.left_out.empty()) << filtered.left_out.front().text;
  EXPECT_EQ(filtered.text, config);
}

TEST(ImageConfigFilterTest, HostReachingKeysAreLeftOutAndCommented) {
  std::vector<std::string> bad = {
      "lxc.hook.pre-start = /tmp/evil",
      "lxc.hook.mount = LXC_ROOTFS/x",
      "lxc.hook.start-host = /bin/sh -c 'id > /tmp/x'",
      "lxc.hook.post-stop = /x",
      "lxc.hook.stop = /x",
      "lxc.hook.pre-mount = /x",
      "lxc.hook.autodev = /x",
      "lxc.hook.start = /x",
      "lxc.hook.clone = /x",
      "lxc.hook.destroy = /x",
      "lxc.net.0.script.up = /x",
      "lxc.net.1.script.down = /x",
      "lxc.network.script.up = /x",
      "lxc.network.0.script.down = /x",
      "lxc.net.0.type = none",
      "lxc.network.type = none",
      "lxc.include = /home/alice/.config/x.conf",
      "lxc.include = LXC_ROOTFS/etc/lxc.conf",
      "lxc.include = LXC_TEMPLATE_CONFIG/../../../home/x",
      "lxc.mount.fstab = /home/alice/fstab",
      "lxc.mount = /home/alice/fstab",
      "lxc.mount.entry = /home/alice home/alice none bind,create=dir 0 0",
      "lxc.mount.entry = LXC_PATH/x x none rbind 0 0",
      "lxc.mount.entry = overlay mnt overlay lowerdir=/home/alice,upperdir=u,workdir=w 0 0",
      "lxc.console.logfile = /home/alice/.bashrc",
      "lxc.log.file = /home/alice/.profile",
      "lxc.logfile = /home/alice/.profile",
      "lxc.idmap = u 0 1000 1",
      "lxc.id_map = u 0 1000 1",
      "lxc.rootfs.path = dir:/home/alice",
      "lxc.rootfs = /home/alice",
      "lxc.rootfs.mount = /home",
      "lxc.namespace.keep = net",
      "lxc.namespace.clone = mnt pid user",
      "lxc.namespace.share.net = 1",
      "  lxc.hook.pre-start=\"/tmp/evil\"",
  };
  for (const std::string& line : bad) {
    FilteredImageText filtered = FilterImageConfig("lxc.arch = x86_64\n" + line + "\n");
    ASSERT_EQ(filtered.left_out.size(), 1u) << line;
    EXPECT_EQ(filtered.left_out[0].line, 2);
    EXPECT_EQ(filtered.left_out[0].text, line);
    EXPECT_FALSE(filtered.left_out[0].why.empty());
    EXPECT_EQ(filtered.text, "lxc.arch = x86_64\n# left out by uxc create (it " + filtered.left_out[0].why +
                                 "): " + line + "\n");
  }
}

TEST(ImageConfigFilterTest, TheReasonSaysWhatTheKeyDoes) {
  FilteredImageText filtered = FilterImageConfig("lxc.hook.pre-start = /x\nlxc.log.file = /y\n");
  ASSERT_EQ(filtered.left_out.size(), 2u);
  EXPECT_EQ(filtered.left_out[0].why, "runs a host program");
  EXPECT_EQ(filtered.left_out[1].why, "writes a host file");
}

TEST(ImageConfigFilterTest, FstabKeepsKernelFilesystemsOnly) {
  std::string fstab =
      "# comment\n"
      "proc proc proc nodev,noexec,nosuid 0 0\n"
      "/home/alice home none bind 0 0\n"
      "tmpfs run tmpfs size=1m 0 0\n"
      "/dev/fuse dev/fuse none bind,create=file,optional 0 0\n";
  FilteredImageText filtered = FilterImageFstab(fstab);
  EXPECT_EQ(LeftOutTexts(filtered), (std::vector<std::string>{"/home/alice home none bind 0 0",
                                                              "/dev/fuse dev/fuse none bind,create=file,optional 0 0"}));
  EXPECT_NE(filtered.text.find("proc proc proc nodev,noexec,nosuid 0 0\n"), std::string::npos);
  EXPECT_NE(filtered.text.find("tmpfs run tmpfs size=1m 0 0\n"), std::string::npos);
}

TEST(ImageConfigFilterTest, MountEntries) {
  EXPECT_EQ(WhyMountEntryReachesHost("proc proc proc defaults 0 0"), "");
  EXPECT_EQ(WhyMountEntryReachesHost("sysfs sys sysfs ro 0 0"), "");
  EXPECT_NE(WhyMountEntryReachesHost("/x y none bind 0 0"), "");
  EXPECT_NE(WhyMountEntryReachesHost("x y none ro,rbind 0 0"), "");
  EXPECT_NE(WhyMountEntryReachesHost("x y bind defaults 0 0"), "");
  EXPECT_NE(WhyMountEntryReachesHost("/dev/sda1 mnt ext4 defaults 0 0"), "");
  EXPECT_NE(WhyMountEntryReachesHost("o m overlay lowerdir=LXC_PATH 0 0"), "");
}

}  // namespace
}  // namespace uxc::templates

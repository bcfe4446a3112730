#include "launcher/templates/busybox.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string TarListing(const std::string& archive) {
  std::string path = std::string(getenv("TEST_TMPDIR")) + "/busybox.tar";
  std::ofstream(path, std::ios::binary) << archive;
  std::string output;
  FILE* pipe = popen(("tar --numeric-owner -tvf " + path).c_str(), "r");
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0);
  return output;
}

TEST(BusyboxTest, AppletListDropsBusyboxAndRejectsPaths) {
  auto applets = ParseAppletList("[\n[[\nash\nbusybox\nsh\n");
  ASSERT_TRUE(applets.ok());
  EXPECT_EQ(*applets, (std::vector<std::string>{"[", "[[", "ash", "sh"}));
  EXPECT_FALSE(ParseAppletList("sh\n../../etc/passwd\n").ok());
  EXPECT_FALSE(ParseAppletList("..\n").ok());
  EXPECT_FALSE(ParseAppletList("").ok());
}

TEST(BusyboxTest, HostBusyboxIsStaticAndThisTestIsNot) {
  auto busybox = IsStaticElf(ReadFile("/bin/busybox"));
  ASSERT_TRUE(busybox.ok()) << busybox.error().ToString();
  EXPECT_TRUE(*busybox);
  auto self = IsStaticElf(ReadFile("/proc/self/exe"));
  ASSERT_TRUE(self.ok());
  EXPECT_FALSE(*self);
  EXPECT_FALSE(IsStaticElf("#!/bin/sh\n").ok());
  EXPECT_FALSE(IsStaticElf(std::string("\x7f" "ELF\x02", 5)).ok());
}

TEST(BusyboxTest, RootfsArchiveHasTheLxcBusyboxLayout) {
  auto archive = BusyboxRootfsArchive("BINARY", {"sh", "getty", "mount"});
  ASSERT_TRUE(archive.ok()) << archive.error().ToString();
  std::string listing = TarListing(*archive);
  for (const char* expected :
       {"drwxrwxrwt 0/0               0", "./tmp/", "-rwxr-xr-x 0/0               6", "./bin/busybox",
        "./bin/sh -> busybox", "./bin/getty -> busybox", "./bin/mount -> busybox",
        "./sbin/init link to ./bin/busybox", "./etc/passwd", "./etc/group", "-rw------- 0/0", "./etc/shadow",
        "./etc/inittab", "-rwxr--r-- 0/0", "./etc/init.d/rcS", "./etc/udhcpc/default.script", "./dev/pts/",
        "./proc/", "./sys/", "./usr/sbin/", "./var/log/", "./root/", "./home/"}) {
    EXPECT_NE(listing.find(expected), std::string::npos) << expected << "\n" << listing;
  }
  EXPECT_EQ(listing.find("./bin/busybox -> "), std::string::npos);
}

TEST(BusyboxTest, InittabRunsRcsAndGettiesOnConsoleAndTty1) {
  auto archive = BusyboxRootfsArchive("B", {"sh"});
  ASSERT_TRUE(archive.ok());
  EXPECT_NE(archive->find("::sysinit:/etc/init.d/rcS\n"), std::string::npos);
  EXPECT_NE(archive->find("console::respawn:/bin/getty"), std::string::npos);
  EXPECT_NE(archive->find("tty1::respawn:/bin/getty -L tty1 115200 vt100\n"), std::string::npos);
  EXPECT_NE(archive->find("::shutdown:/bin/umount -a -r\n"), std::string::npos);
  EXPECT_NE(archive->find("root:x:0:0:root:/root:/bin/sh\n"), std::string::npos);
}

TEST(BusyboxTest, ConfigMatchesLxcBusybox) {
  std::string config = BusyboxConfig();
  EXPECT_NE(config.find("lxc.signal.halt = SIGUSR1\n"), std::string::npos);
  EXPECT_NE(config.find("lxc.autodev = 1\n"), std::string::npos);
  EXPECT_NE(config.find("lxc.mount.auto = cgroup:mixed proc:mixed sys:ro\n"), std::string::npos);
}

}  // namespace
}  // namespace uxc::templates

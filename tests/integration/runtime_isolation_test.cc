// A container's namespaces, id maps and file ownership, seen from inside and
// from the host.
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

#include "tests/integration/runtime_fixture.h"

namespace uxc::testing {
namespace {

using RuntimeIsolationTest = RuntimeTest;

std::string HostNamespace(const std::string& name) {
  char target[128] = {};
  ssize_t n = readlink(("/proc/self/ns/" + name).c_str(), target, sizeof target - 1);
  return n > 0 ? std::string(target, n) : "";
}

TEST_F(RuntimeIsolationTest, EveryNamespaceDiffersFromTheHosts) {
  const char* kNames[] = {"user", "mnt", "pid", "uts", "ipc", "net", "cgroup"};
  std::string script;
  for (const char* name : kNames) script += std::string("readlink /proc/self/ns/") + name + "; ";
  CommandResult result = RunScript(script);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream lines(result.out);
  for (const char* name : kNames) {
    std::string inside;
    std::getline(lines, inside);
    EXPECT_EQ(inside.rfind(std::string(name) + ":[", 0), 0u) << inside;
    EXPECT_NE(inside, HostNamespace(name)) << name;
  }
}

TEST_F(RuntimeIsolationTest, MapsTheFirstSubordinateRangesAtZero) {
  CommandResult result = RunScript("cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream out(result.out);
  std::string uid_line, gid_line, uid, gid;
  std::getline(out, uid_line);
  std::getline(out, gid_line);
  out >> uid >> gid;
  std::istringstream uids(uid_line), gids(gid_line);
  long inside, outside, count;
  uids >> inside >> outside >> count;
  EXPECT_EQ(inside, 0);
  EXPECT_EQ(outside, kRuntimeSubidStart);
  EXPECT_EQ(count, kRuntimeSubidCount);
  gids >> inside >> outside >> count;
  EXPECT_EQ(outside, kRuntimeSubidStart);
  EXPECT_EQ(uid, "0");
  EXPECT_EQ(gid, "0");
}

TEST_F(RuntimeIsolationTest, FilesMadeInsideBelongToTheMappedIds) {
  std::string shared = SharedDirectory("shared");
  CommandResult result = RunScript(
      "touch /mnt/by-root && mkdir /mnt/dir && chown 1000:1000 /mnt/dir && touch /mnt/dir/x",
      {"lxc.mount.entry = " + shared + " mnt none bind 0 0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  struct stat st;
  ASSERT_EQ(stat((shared + "/by-root").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, kRuntimeSubidStart);
  EXPECT_EQ(st.st_gid, kRuntimeSubidStart);
  ASSERT_EQ(stat((shared + "/dir").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, kRuntimeSubidStart + 1000);
  EXPECT_EQ(st.st_gid, kRuntimeSubidStart + 1000);
}

TEST_F(RuntimeIsolationTest, TheCommandRunsUnderUxcsInitAsPid2) {
  CommandResult result = RunScript("echo $$; cat /proc/1/comm 2>/dev/null || echo hidden");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.substr(0, result.out.find('\n')), "2") << result.out;
}

TEST_F(RuntimeIsolationTest, HostnameAndOwnLoopback) {
  CommandResult result = RunScript("hostname; cat /sys/class/net/lo/operstate; ls /sys/class/net",
                                   {"lxc.uts.name=c1"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "c1\nunknown\nlo\n");
}

TEST_F(RuntimeIsolationTest, NetworkTypeNoneSharesTheHostsNetwork) {
  CommandResult result = RunScript(
      "readlink /proc/self/ns/net; test -d /sys/class/net/lo && echo sys", {"lxc.net.0.type=none"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, HostNamespace("net") + "\nsys\n");
}

TEST_F(RuntimeIsolationTest, WithoutSubordinateRangesOnlyTheOwnIdIsMappedWithANote) {
  ScopedHostFile no_uids("/etc/subuid", "");
  ScopedHostFile no_gids("/etc/subgid", "");
  std::string own_rootfs = scratch_ + "/own-rootfs";
  MakeBusyboxRootfs(own_rootfs, user_.uid);
  CommandResult result = RunScript("cat /proc/self/uid_map", {}, own_rootfs);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::istringstream map(result.out);
  long inside, outside, count;
  map >> inside >> outside >> count;
  EXPECT_EQ(inside, 0);
  EXPECT_EQ(outside, user_.uid);
  EXPECT_EQ(count, 1);
  EXPECT_TRUE(Contains(result.err, "no range for uxct-runtime"));
  EXPECT_TRUE(Contains(result.err, "usermod --add-subuids"));
}

}  // namespace
}  // namespace uxc::testing

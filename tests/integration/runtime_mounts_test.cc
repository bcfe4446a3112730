// lxc.mount.auto modes, lxc.mount.entry and lxc.mount.fstab, and rootfs
// symlinks that try to make a mount land outside the container.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>

#include "tests/integration/runtime_fixture.h"

namespace uxc::testing {
namespace {

using RuntimeMountsTest = RuntimeTest;

// For each path: "PATH rw" or "PATH ro", as a write attempt inside finds it.
// Directories are probed by creating a file, files by opening for writing.
std::string ProbeScript(const std::vector<std::string>& paths) {
  std::string script;
  for (const std::string& path : paths) {
    script += "if [ -d " + path + " ]; then (touch " + path + "/.probe && rm -f " + path +
              "/.probe) 2>/dev/null; else (: >> " + path +
              ") 2>/dev/null; fi; "
              "case $? in 0) echo " +
              path + " rw;; *) echo " + path + " ro;; esac; ";
  }
  return script;
}

// Mount options of the (topmost) mount at `path`, from the container's
// /proc/mounts.
std::string MountOptionsScript(const std::string& path) {
  return "awk '$2 == \"" + path + "\" {print $4}' /proc/mounts | tail -1";
}

// kernel.msgmax belongs to the container's IPC namespace, so its root may
// write it unless the mount is read-only.
TEST_F(RuntimeMountsTest, ProcMixedLeavesProcSysReadOnly) {
  CommandResult result =
      RunScript(ProbeScript({"/proc/sys/kernel/msgmax", "/proc/self/oom_score_adj"}) +
                    MountOptionsScript("/proc/sys") + "; " + MountOptionsScript("/proc"),
                {"lxc.mount.auto=proc:mixed"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "/proc/sys/kernel/msgmax ro\n/proc/self/oom_score_adj rw\n"
            "ro,nosuid,nodev,noexec,relatime\nrw,nosuid,nodev,noexec,relatime\n");
}

TEST_F(RuntimeMountsTest, ProcMixedKeepsProcSysNetWritableForItsOwnNetwork) {
  CommandResult result =
      RunScript(ProbeScript({"/proc/sys/net/ipv4/ip_forward"}), {"lxc.mount.auto=proc:mixed"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "/proc/sys/net/ipv4/ip_forward rw\n");
}

TEST_F(RuntimeMountsTest, ProcRwLeavesProcSysWritable) {
  CommandResult result =
      RunScript(ProbeScript({"/proc/sys/kernel/msgmax"}) + "test -e /sys/fs && echo sys || true",
                {"lxc.mount.auto=proc:rw"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // Only proc: the token replaces uxc run's default "proc:mixed sys:mixed cgroup:mixed".
  EXPECT_EQ(result.out, "/proc/sys/kernel/msgmax rw\n");
}

TEST_F(RuntimeMountsTest, SysModes) {
  std::string probe =
      MountOptionsScript("/sys") + "; " + MountOptionsScript("/sys/devices/virtual/net");
  CommandResult ro = RunScript(probe, {"lxc.mount.auto=proc:rw sys:ro"});
  ASSERT_EQ(ro.exit_code, 0) << ro.err;
  EXPECT_EQ(ro.out, "ro,nosuid,nodev,noexec,relatime\n");
  CommandResult rw = RunScript(probe, {"lxc.mount.auto=proc:rw sys:rw"});
  ASSERT_EQ(rw.exit_code, 0) << rw.err;
  EXPECT_EQ(rw.out, "rw,nosuid,nodev,noexec,relatime\n");
  CommandResult mixed = RunScript(probe, {"lxc.mount.auto=proc:rw sys:mixed"});
  ASSERT_EQ(mixed.exit_code, 0) << mixed.err;
  EXPECT_EQ(mixed.out, "ro,nosuid,nodev,noexec,relatime\nrw,nosuid,nodev,noexec,relatime\n");
}

TEST_F(RuntimeMountsTest, CgroupModesMountTheContainersCgroup2) {
  std::string probe =
      "awk '$2 == \"/sys/fs/cgroup\" {print $4, $3}' /proc/mounts; grep '^0::' /proc/self/cgroup";
  CommandResult ro = RunScript(probe, {"lxc.mount.auto=proc:rw sys:rw cgroup:ro"});
  ASSERT_EQ(ro.exit_code, 0) << ro.err;
  EXPECT_EQ(ro.out, "ro,nosuid,nodev,noexec,relatime cgroup2\n0::/\n");
  CommandResult rw = RunScript(probe, {"lxc.mount.auto=proc:rw sys:rw cgroup:rw"});
  ASSERT_EQ(rw.exit_code, 0) << rw.err;
  EXPECT_EQ(rw.out, "rw,nosuid,nodev,noexec,relatime cgroup2\n0::/\n");
}

TEST_F(RuntimeMountsTest, CgroupWithoutCgroupNamespaceIsSkippedWithANote) {
  CommandResult result =
      RunScript("awk '$2 == \"/sys/fs/cgroup\"' /proc/mounts | wc -l",
                {"lxc.mount.auto=proc:rw sys:rw cgroup:mixed", "lxc.namespace.keep=cgroup"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "0\n");
  EXPECT_TRUE(Contains(result.err, "no cgroup namespace"));
}

TEST_F(RuntimeMountsTest, BindEntriesWithCreateReadOnlyAndOptional) {
  std::string data = SharedDirectory("data");
  RootShell("echo hello > " + data + "/greeting && chown " + std::to_string(kRuntimeSubidStart) +
            " " + data + "/greeting");
  CommandResult result =
      RunScript("cat /srv/data/greeting; " + ProbeScript({"/srv/data", "/srv/ro"}) +
                    "test -e /opt/missing && echo there || echo absent",
                {"lxc.mount.entry = " + data + " srv/data none bind,create=dir 0 0",
                 "lxc.mount.entry = " + data + " /srv/ro none bind,ro,create=dir 0 0",
                 "lxc.mount.entry = /nonexistent opt/missing none bind,optional,create=dir 0 0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "hello\n/srv/data rw\n/srv/ro ro\nabsent\n");
  // create=dir made the mount points in the overlay, not in the rootfs.
  EXPECT_FALSE(TreeOf(rootfs_).count("/srv"));
}

TEST_F(RuntimeMountsTest, WaylandSocketBindWithCreateFile) {
  std::string runtime = scratch_ + "/xdg";
  RootShell("mkdir -p " + runtime + " && chown " + user_.name + " " + runtime);
  std::string socket_path = runtime + "/wayland-0";
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  RootShell("chmod 0777 " + socket_path);
  CommandResult result =
      RunScript("test -S /tmp/wayland-0 && echo socket",
                {"lxc.mount.entry = " + socket_path + " tmp/wayland-0 none bind,create=file 0 0"});
  close(listener);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "socket\n");
}

TEST_F(RuntimeMountsTest, TmpfsEntryAndFstabFile) {
  std::string fstab = scratch_ + "/fstab";
  std::ofstream(fstab) << "# comment\n\ntmpfs var/cache tmpfs size=1m,mode=0700,create=dir 0 0\n";
  CommandResult result = RunScript(
      "awk '$2 == \"/var/cache\" || $2 == \"/mnt\" {print $2, $3}' /proc/mounts; stat -c %a "
      "/var/cache",
      {"lxc.mount.fstab = " + fstab, "lxc.mount.entry = none mnt tmpfs nosuid 0 0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "/var/cache tmpfs\n/mnt tmpfs\n700\n");
}

TEST_F(RuntimeMountsTest, RelativeSourceIsTakenFromTheRootfs) {
  CommandResult result =
      RunScript("ls /mnt/busybox", {"lxc.mount.entry = bin mnt none bind,relative 0 0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "/mnt/busybox\n");
}

TEST_F(RuntimeMountsTest, MissingSourceWithoutOptionalFailsAndSaysWhich) {
  CommandResult result = RunScript("true", {"lxc.mount.entry = /nonexistent mnt none bind 0 0"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "bind /nonexistent on /mnt"));
  EXPECT_TRUE(Contains(result.err, "No such file or directory"));
}

TEST_F(RuntimeMountsTest, RootfsOptionsReadOnly) {
  WriteContainer("ro", "lxc.rootfs.options = ro,nosuid\nlxc.mount.auto = proc:rw\n");
  CommandResult result = Execute(
      "ro", {"/bin/sh", "-c",
             "touch /written 2>/dev/null && echo rw || echo ro; touch /tmp/x 2>/dev/null || echo "
             "tmp-ro; awk '$2 == \"/\" {print $4}' /proc/mounts | cut -d, -f1-2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "ro\ntmp-ro\nro,nosuid\n");
  EXPECT_FALSE(TreeOf(rootfs_).count("/written"));
}

// ---- Symlinks in a hostile rootfs ----

class RuntimeSymlinkTest : public RuntimeTest {
 protected:
  // Replaces `path` in the rootfs by a symlink to `target`.
  void MakeSymlink(const std::string& path, const std::string& target) {
    RootShell("rm -rf " + rootfs_ + path + " && ln -s " + target + " " + rootfs_ + path +
              " && chown -h " + std::to_string(kRuntimeSubidStart) + " " + rootfs_ + path);
  }
  // Runs and checks the failure names `path` and that the host saw nothing.
  void ExpectRefused(const std::string& path, const std::vector<std::string>& defines = {}) {
    std::set<std::string> mounts = HostMountPoints();
    CommandResult result = RunScript("true", defines);
    EXPECT_NE(result.exit_code, 0);
    EXPECT_TRUE(Contains(result.err, path));
    EXPECT_EQ(HostMountPoints(), mounts);
  }
};

TEST_F(RuntimeSymlinkTest, ProcAsSymlinkToRootIsRefused) {
  MakeSymlink("/proc", "/");
  ExpectRefused("/proc");
}

TEST_F(RuntimeSymlinkTest, SysAsSymlinkToParentIsRefused) {
  MakeSymlink("/sys", "..");
  ExpectRefused("/sys");
}

TEST_F(RuntimeSymlinkTest, DevAsSymlinkToHostDevIsRefused) {
  MakeSymlink("/dev", "../../../../../../dev");
  ExpectRefused("/dev");
}

TEST_F(RuntimeSymlinkTest, MountTargetSymlinkToRootIsRefused) {
  MakeSymlink("/mnt", "/");
  std::string data = SharedDirectory("data");
  ExpectRefused("/mnt", {"lxc.mount.entry = " + data + " mnt none bind 0 0"});
}

TEST_F(RuntimeSymlinkTest, MountTargetSymlinkOutOfTheRootStaysInside) {
  // From /mnt, ../../../../var resolves under the container's root to its
  // own /var; the host's /var gets no mount.
  MakeSymlink("/mnt", "../../../../../../var");
  std::string data = SharedDirectory("data");
  RootShell("touch " + data + "/marker");
  std::set<std::string> mounts = HostMountPoints();
  CommandResult result = RunScript("ls /var", {"lxc.mount.entry = " + data + " mnt none bind 0 0"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "marker\n");
  EXPECT_EQ(HostMountPoints(), mounts);
}

}  // namespace
}  // namespace uxc::testing

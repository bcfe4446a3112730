// /dev under lxc.autodev: the nodes bound from the host, the symlinks, a
// private devpts, the console and the ttys; no way to make a device node.
#include "tests/integration/runtime_fixture.h"

namespace uxc::testing {
namespace {

using RuntimeDevicesTest = RuntimeTest;

TEST_F(RuntimeDevicesTest, NodesAreTheHostsCharacterDevices) {
  CommandResult result = RunScript(
      "for n in null zero full random urandom tty ptmx; do stat -L -c '%n %F %t:%T' /dev/$n; done; "
      "echo x > /dev/null && head -c 4 /dev/zero | wc -c");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "/dev/null character special file 1:3\n"
            "/dev/zero character special file 1:5\n"
            "/dev/full character special file 1:7\n"
            "/dev/random character special file 1:8\n"
            "/dev/urandom character special file 1:9\n"
            "/dev/tty character special file 5:0\n"
            "/dev/ptmx character special file 5:2\n"
            "4\n");
}

TEST_F(RuntimeDevicesTest, SymlinksAndNothingElse) {
  CommandResult result = RunScript(
      "for n in fd stdin stdout stderr ptmx; do echo $n $(readlink /dev/$n); done; ls /dev | tr "
      "'\\n' ' "
      "'");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "fd /proc/self/fd\nstdin /proc/self/fd/0\nstdout /proc/self/fd/1\nstderr "
            "/proc/self/fd/2\nptmx pts/ptmx\n"
            "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero ");
}

// uxc execute makes a console, as lxc-execute does.
TEST_F(RuntimeDevicesTest, DevptsIsANewInstanceWithTheConsoleAndTtys) {
  WriteContainer("ttys", "lxc.tty.max = 3\nlxc.mount.auto = proc\n");
  CommandResult result = Execute(
      "ttys", {"/bin/sh", "-c",
               "ls /dev/pts | tr '\\n' ' '; echo; for t in console tty1 tty2 tty3; do "
               "stat -c '%n %t' /dev/$t; done; awk '$2 == \"/dev/pts\" {print $3}' /proc/mounts; "
               "echo hi > /dev/tty3 && echo writable"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // A fresh instance holds only the ptys uxc made: the console (0) and the
  // three ttys. 0x88 = 136, the pty secondary major.
  EXPECT_EQ(result.out,
            "0 1 2 3 ptmx \n/dev/console 88\n/dev/tty1 88\n/dev/tty2 88\n/dev/tty3 "
            "88\ndevpts\nwritable\n");
}

// lxc.tty.dir = lxc, as LXC 5 lays it out: the ptys in /dev/lxc, the
// console bound on /dev/console too, /dev/ttyN symlinks into /dev/lxc.
TEST_F(RuntimeDevicesTest, TtyDirHoldsTheConsoleAndTtysAsLxcDoes) {
  WriteContainer("ttydir", "lxc.tty.max = 2\nlxc.tty.dir = lxc\nlxc.mount.auto = proc\n");
  CommandResult result = Execute(
      "ttydir", {"/bin/sh", "-c",
                 "echo dir: $(ls /dev/lxc); for t in lxc/console console lxc/tty1 lxc/tty2; do "
                 "stat -c '%n %F %t:%T' /dev/$t; done; for t in tty1 tty2; do "
                 "echo link: $t $(readlink /dev/$t) $(stat -L -c %t:%T /dev/$t); done; "
                 "echo via-the-console > /dev/console; echo hi > /dev/tty2 && echo tty2-writable"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // 0x88 = 136: the pty secondary major; the console is pty 0, the ttys 1, 2.
  for (const char* line : {"dir: console tty1 tty2\n",
                           "/dev/lxc/console character special file 88:0\n",
                           "/dev/console character special file 88:0\n",
                           "/dev/lxc/tty1 character special file 88:1\n",
                           "/dev/lxc/tty2 character special file 88:2\n",
                           "link: tty1 lxc/tty1 88:1\n", "link: tty2 lxc/tty2 88:2\n",
                           "via-the-console", "tty2-writable\n"}) {
    EXPECT_TRUE(Contains(result.out, line));
  }
  EXPECT_EQ(result.err.find("lxc.tty.dir"), std::string::npos) << result.err;
}

// Without lxc.autodev, the symlinks replace the rootfs's own /dev/ttyN, as
// LXC unlinks them.
TEST_F(RuntimeDevicesTest, TtyDirReplacesTheRootfsTtysWithoutAutodev) {
  RootShell("touch " + rootfs_ + "/dev/tty1");
  CommandResult result =
      RunScript("readlink /dev/tty1; stat -L -c %t /dev/tty1",
                {"lxc.autodev=0", "lxc.tty.max=1", "lxc.tty.dir=lxc"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "lxc/tty1\n88\n");
}

TEST_F(RuntimeDevicesTest, ContainerTtysEnvironment) {
  CommandResult result = RunScript("echo \"$container $container_ttys\"", {"lxc.tty.max=2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "lxc tty1 tty2\n");
}

TEST_F(RuntimeDevicesTest, ConsoleOutputReachesTheCallersStdout) {
  WriteContainer("console", "");
  CommandResult result =
      Execute("console", {"/bin/sh", "-c", "echo on-the-console > /dev/console"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(Contains(result.out, "on-the-console"));
}

// Nothing has the console open until the command opens it; the launcher
// still holds on to it, and what comes last is not lost at the exit.
TEST_F(RuntimeDevicesTest, LateConsoleOutputIsNotLost) {
  WriteContainer("console", "");
  CommandResult result =
      Execute("console",
              {"/bin/sh", "-c", "sleep 0.3; for i in 1 2 3; do echo line$i > /dev/console; done"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(Contains(result.out, "line1"));
  EXPECT_TRUE(Contains(result.out, "line3"));
}

TEST_F(RuntimeDevicesTest, NoConsoleWhenSetToNoneOrForRun) {
  WriteContainer("quiet", "lxc.console.path = none\n");
  CommandResult execute =
      Execute("quiet", {"/bin/sh", "-c", "test -e /dev/console && echo yes || echo no"});
  ASSERT_EQ(execute.exit_code, 0) << execute.err;
  EXPECT_EQ(execute.out, "no\n");
  CommandResult run = RunScript("test -e /dev/console && echo yes || echo no");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "no\n");
}

TEST_F(RuntimeDevicesTest, MknodIsNotPossible) {
  CommandResult result = RunScript("mknod /tmp/null c 1 3 && echo made || echo refused");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "refused\n");
}

TEST_F(RuntimeDevicesTest, AutodevOffKeepsTheRootfsDev) {
  RootShell("touch " + rootfs_ + "/dev/from-rootfs");
  CommandResult result = RunScript("ls /dev | tr '\\n' ' '", {"lxc.autodev=0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "from-rootfs pts ");
}

}  // namespace
}  // namespace uxc::testing

// /dev under lxc.autodev: the nodes bound from the host, the symlinks, a
// private devpts, the console and the ttys; no way to make a device node.
#include "tests/integration/runtime_fixture.h"

namespace uxc::testing {
namespace {

using RuntimeDevicesTest = RuntimeTest;

TEST_F(RuntimeDevicesTest, NodesAreTheHostsCharacterDevices) {
  CommandResult result = RunScript(
      "for n in null zero full random urandom tty ptmx; do stat -c '%n %F %t:%T' /dev/$n; done; "
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
      "for n in fd stdin stdout stderr; do echo $n $(readlink /dev/$n); done; ls /dev | tr '\\n' ' "
      "'");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      result.out,
      "fd /proc/self/fd\nstdin /proc/self/fd/0\nstdout /proc/self/fd/1\nstderr /proc/self/fd/2\n"
      "console fd full null ptmx pts random shm stderr stdin stdout tty urandom zero ");
}

TEST_F(RuntimeDevicesTest, DevptsIsANewInstanceWithTheConsoleAndTtys) {
  CommandResult result = RunScript(
      "ls /dev/pts | tr '\\n' ' '; echo; for t in console tty1 tty2 tty3; do stat -c '%n %t' "
      "/dev/$t; done; "
      "awk '$2 == \"/dev/pts\" {print $3}' /proc/mounts; echo hi > /dev/tty3 && echo writable",
      {"lxc.tty.max=3"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // A fresh instance holds only the ptys uxc made: the console (0) and the
  // three ttys. 0x88 = 136, the pty secondary major.
  EXPECT_EQ(result.out,
            "0 1 2 3 ptmx \n/dev/console 88\n/dev/tty1 88\n/dev/tty2 88\n/dev/tty3 "
            "88\ndevpts\nwritable\n");
}

TEST_F(RuntimeDevicesTest, ContainerTtysEnvironment) {
  CommandResult result = RunScript("echo \"$container $container_ttys\"", {"lxc.tty.max=2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "uxc tty1 tty2\n");
}

TEST_F(RuntimeDevicesTest, ConsoleOutputReachesTheCallersStdout) {
  CommandResult result = RunScript("echo on-the-console > /dev/console");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(Contains(result.out, "on-the-console"));
}

// Nothing has the console open until the command opens it; the launcher
// still holds on to it, and what comes last is not lost at the exit.
TEST_F(RuntimeDevicesTest, LateConsoleOutputIsNotLost) {
  CommandResult result = RunScript("sleep 0.3; for i in 1 2 3; do echo line$i > /dev/console; done");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(Contains(result.out, "line1"));
  EXPECT_TRUE(Contains(result.out, "line3"));
}

TEST_F(RuntimeDevicesTest, NoConsoleWhenSetToNone) {
  CommandResult result =
      RunScript("test -e /dev/console && echo yes || echo no", {"lxc.console.path=none"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "no\n");
}

TEST_F(RuntimeDevicesTest, MknodIsNotPossible) {
  CommandResult result = RunScript("mknod /tmp/null c 1 3 && echo made || echo refused");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "refused\n");
}

TEST_F(RuntimeDevicesTest, AutodevOffKeepsTheRootfsDev) {
  RootShell("touch " + rootfs_ + "/dev/from-rootfs");
  CommandResult result =
      RunScript("ls /dev | tr '\\n' ' '", {"lxc.autodev=0", "lxc.console.path=none"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "from-rootfs pts ");
}

}  // namespace
}  // namespace uxc::testing

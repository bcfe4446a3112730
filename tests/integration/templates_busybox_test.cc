// `uxc create -t busybox` and `uxc destroy` as a real unprivileged user.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include "tests/integration/templates_fixture.h"

namespace uxc::testing {
namespace {

using BusyboxTemplateTest = TemplatesTest;

TEST_F(BusyboxTemplateTest, RootfsBelongsToContainerRoot) {
  auto made = Create("bb1", "busybox");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.out.find("Created container bb1"), std::string::npos) << made.out;

  struct stat root = StatOrDie(Rootfs("bb1"));
  EXPECT_EQ(root.st_uid, kSubidStart);
  EXPECT_EQ(root.st_gid, kSubidStart);
  EXPECT_EQ(root.st_mode & 07777, 0755u);
  struct stat busybox = StatOrDie(Rootfs("bb1") + "/bin/busybox");
  EXPECT_EQ(busybox.st_uid, kSubidStart);
  EXPECT_EQ(busybox.st_mode & 07777, 0755u);
  EXPECT_EQ(StatOrDie(Rootfs("bb1") + "/sbin/init").st_ino, busybox.st_ino);
  EXPECT_EQ(StatOrDie(Rootfs("bb1") + "/tmp").st_mode & 07777, 01777u);
  EXPECT_EQ(StatOrDie(Rootfs("bb1") + "/etc/shadow").st_mode & 07777, 0600u);
  char target[64] = {};
  ASSERT_GT(readlink((Rootfs("bb1") + "/bin/sh").c_str(), target, sizeof target - 1), 0);
  EXPECT_STREQ(target, "busybox");
  // One link per applet busybox lists.
  std::string applets = Shell("/bin/busybox --list | grep -vx busybox | wc -l");
  std::string links = Shell("find " + Rootfs("bb1") + "/bin -type l | wc -l");
  EXPECT_EQ(links, applets);
  EXPECT_NE(ReadFileOrDie(Rootfs("bb1") + "/etc/inittab").find("::sysinit:/etc/init.d/rcS"), std::string::npos);

  // The config and the container directory stay the user's.
  EXPECT_EQ(StatOrDie(ContainerDir("bb1") + "/config").st_uid, user_.uid);
  std::string config = ReadFileOrDie(ContainerDir("bb1") + "/config");
  EXPECT_NE(config.find("lxc.rootfs.path = " + Rootfs("bb1") + "\n"), std::string::npos) << config;
  EXPECT_NE(config.find("lxc.uts.name = bb1\n"), std::string::npos) << config;
  EXPECT_NE(config.find("lxc.mount.auto = cgroup:mixed proc:mixed sys:ro\n"), std::string::npos) << config;
}

TEST_F(BusyboxTemplateTest, ConfigStartsFromTheUsersDefaultConf) {
  std::string config_dir = user_.home + "/.config/uxc";
  Shell("mkdir -p " + config_dir + " && chown -R " + user_.name + ": " + user_.home + "/.config");
  ScopedHostFile defaults(config_dir + "/default.conf",
                          "# from default.conf\nlxc.signal.halt = SIGPWR\nlxc.net.0.type = empty\n");
  auto made = Create("bb2", "busybox");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string config = ReadFileOrDie(ContainerDir("bb2") + "/config");
  size_t template_halt = config.find("lxc.signal.halt = SIGUSR1");
  size_t user_halt = config.find("lxc.signal.halt = SIGPWR");
  ASSERT_NE(template_halt, std::string::npos) << config;
  ASSERT_NE(user_halt, std::string::npos) << config;
  EXPECT_LT(template_halt, user_halt) << "the user's defaults must win over the template's";
  EXPECT_NE(config.find("# from default.conf"), std::string::npos);
  EXPECT_GT(config.find("lxc.net.0.type = empty"), config.find("lxc.uts.name = bb2"));
}

TEST_F(BusyboxTemplateTest, DefaultContainerPathIsUnderXdgDataHome) {
  std::string data_home = Scratch() + "/data";
  MakeOwnedDirectory(data_home, user_);
  RunOptions options;
  options.env["XDG_DATA_HOME"] = data_home;
  auto made = RunAs(user_, {InstalledBinary("uxc"), "create", "bb3", "-t", "busybox"}, options);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(StatOrDie(data_home + "/uxc/bb3/rootfs").st_uid, kSubidStart);
  auto destroyed = RunAs(user_, {InstalledBinary("uxc"), "destroy", "bb3"}, options);
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.err;
  EXPECT_FALSE(Exists(data_home + "/uxc/bb3"));
}

TEST_F(BusyboxTemplateTest, RelativeContainerPathIsMadeAbsolute) {
  RunOptions options;
  options.cwd = Scratch();
  auto made = RunAs(user_, {InstalledBinary("uxc"), "create", "rel", "-P", "./containers/", "-t", "busybox"}, options);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string config = ReadFileOrDie(ContainerDir("rel") + "/config");
  EXPECT_NE(config.find("lxc.rootfs.path = " + Rootfs("rel") + "\n"), std::string::npos) << config;
}

TEST_F(BusyboxTemplateTest, ExistingNameIsRefusedAndKept) {
  ASSERT_EQ(Create("bb4", "busybox").exit_code, 0);
  auto again = Create("bb4", "busybox");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("container 'bb4' already exists"), std::string::npos) << again.err;
  EXPECT_TRUE(Exists(Rootfs("bb4") + "/bin/busybox"));
  EXPECT_TRUE(Exists(ContainerDir("bb4") + "/config"));
}

TEST_F(BusyboxTemplateTest, DestroyRemovesEverything) {
  ASSERT_EQ(Create("bb5", "busybox").exit_code, 0);
  auto destroyed = Destroy("bb5");
  ASSERT_EQ(destroyed.exit_code, 0) << destroyed.err;
  EXPECT_FALSE(Exists(ContainerDir("bb5")));
  EXPECT_TRUE(ListDirectory(path_).empty());
  auto again = Destroy("bb5");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("no container 'bb5'"), std::string::npos) << again.err;
}

TEST_F(BusyboxTemplateTest, DestroyRefusesWhileTheContainerIsLocked) {
  ASSERT_EQ(Create("bb6", "busybox").exit_code, 0);
  int fd = open((ContainerDir("bb6") + "/lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  // As `uxc execute` run by the user would have made it.
  ASSERT_EQ(fchown(fd, user_.uid, user_.gid), 0);
  ASSERT_EQ(flock(fd, LOCK_EX), 0);
  auto refused = Destroy("bb6");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("'bb6' is running"), std::string::npos) << refused.err;
  EXPECT_TRUE(Exists(Rootfs("bb6") + "/bin/busybox"));
  close(fd);
  EXPECT_EQ(Destroy("bb6").exit_code, 0);
  EXPECT_FALSE(Exists(ContainerDir("bb6")));
}

TEST_F(BusyboxTemplateTest, BadInputGetsAClearErrorAndLeavesNothing) {
  struct Case {
    std::vector<std::string> args;
    std::string expected;
    int status;  // 1 a failure, 2 a usage error (docs/errors.md)
  } cases[] = {
      {{"create", "bad1", "-P", path_, "-t", "busybox", "--", "--busybox-path", "/nonexistent/busybox"},
       "open busybox /nonexistent/busybox", 1},
      {{"create", "bad2", "-P", path_, "-t", "busybox", "--", "--busybox-path", "/bin/ls"}, "dynamically linked", 1},
      {{"create", "bad3", "-P", path_, "-t", "busybox", "--", "--bogus"}, "--bogus", 2},
      {{"create", "bad4", "-P", path_, "-t", "nosuch"}, "no template 'nosuch'", 2},
      {{"create", "bad5", "-P", path_}, "choose a template with -t", 2},
      {{"create", "-P", path_, "-t", "busybox"}, "give the container's name", 2},
      {{"destroy", "-P", path_}, "give one container name", 2},
  };
  for (const auto& c : cases) {
    auto result = Uxc(c.args);
    EXPECT_EQ(result.exit_code, c.status) << c.args[1];
    EXPECT_NE(result.err.find(c.expected), std::string::npos) << c.expected << "\n" << result.err;
  }
  // A name the rule refuses is a usage error (docs/lifecycle.md, "Container names").
  auto escape = Uxc({"create", "../escape", "-P", path_, "-t", "busybox"});
  EXPECT_EQ(escape.exit_code, 2) << escape.err;
  EXPECT_NE(escape.err.find("\"../escape\" is not a container name"), std::string::npos) << escape.err;
  EXPECT_TRUE(ListDirectory(path_).empty());
  EXPECT_FALSE(Exists(Scratch() + "/escape"));
}

TEST_F(BusyboxTemplateTest, UserWithoutSubordinateRangeIsToldHowToGetOne) {
  ScopedHostFile no_ranges("/etc/subuid", "someoneelse:300000:65536\n");
  auto result = Create("bb7", "busybox");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("no /etc/subuid entry for " + user_.name), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("usermod --add-subuids"), std::string::npos) << result.err;
  EXPECT_TRUE(ListDirectory(path_).empty());
}

TEST_F(BusyboxTemplateTest, CreatedContainerRunsTrue) {
  auto help = Uxc({"execute", "--help"});
  ASSERT_EQ(help.exit_code, 0) << "uxc execute --help failed: " << help.err;
  ASSERT_EQ(Create("bb8", "busybox").exit_code, 0);
  auto ran = Uxc({"execute", "-P", path_, "bb8", "--", "/bin/true"});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  auto failed = Uxc({"execute", "-P", path_, "bb8", "--", "/bin/false"});
  EXPECT_EQ(failed.exit_code, 1) << failed.err;
}

// Whether some process holds the container's lock (flock is per open file).
bool LockHeld(const std::string& lock_path) {
  int fd = open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool held = flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close(fd);
  return held;
}

TEST_F(BusyboxTemplateTest, DestroyRefusesWhileExecuteRuns) {
  auto help = Uxc({"execute", "--help"});
  ASSERT_EQ(help.exit_code, 0) << "uxc execute --help failed: " << help.err;
  ASSERT_EQ(Create("bb9", "busybox").exit_code, 0);
  auto started = RunAs(user_, {"/bin/sh", "-c",
                               InstalledBinary("uxc") + " execute -P " + path_ +
                                   " bb9 -- /bin/sleep 120 </dev/null >/dev/null 2>&1 & echo $!"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  pid_t execute = std::stoi(started.out);
  std::string lock = ContainerDir("bb9") + "/lock";
  // Readiness, not speed: wait up to a minute for execute to take the lock.
  for (int i = 0; i < 600 && !LockHeld(lock); ++i) usleep(100 * 1000);
  ASSERT_TRUE(LockHeld(lock)) << "uxc execute did not take " << lock;

  auto refused = Destroy("bb9");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("'bb9' is running"), std::string::npos) << refused.err;
  EXPECT_TRUE(Exists(Rootfs("bb9") + "/bin/busybox"));

  kill(execute, SIGTERM);  // execute forwards it to the container
  for (int i = 0; i < 600 && LockHeld(lock); ++i) usleep(100 * 1000);
  auto destroyed = Destroy("bb9");
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.err;
  EXPECT_FALSE(Exists(ContainerDir("bb9")));
}

}  // namespace
}  // namespace uxc::testing

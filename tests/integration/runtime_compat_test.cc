// Existing LXC configs: the old tutorial key, and a container made by
// Debian's real lxc-create as the unprivileged user.
#include <sys/stat.h>

#include <fstream>

#include "tests/integration/runtime_fixture.h"

namespace uxc::testing {
namespace {

using RuntimeCompatTest = RuntimeTest;

TEST_F(RuntimeCompatTest, OldTutorialIdMapKeyWorks) {
  WriteContainer(
      "old",
      "lxc.id_map = u 0 400000 65536\nlxc.id_map = g 0 400000 65536\nlxc.mount.auto = proc\n");
  CommandResult result = Execute("old", {"/bin/cat", "/proc/self/uid_map"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(Contains(result.out, "400000"));
}

TEST_F(RuntimeCompatTest, RunsAContainerMadeByLxcCreateAsTheUser) {
  struct stat st;
  if (stat("/usr/bin/lxc-create", &st) != 0)
    GTEST_SKIP() << "Debian's lxc package is not installed";
  std::string config_dir = user_.home + "/.config/lxc";
  RootShell("mkdir -p " + config_dir);
  std::ofstream(config_dir + "/default.conf")
      << "lxc.include = /usr/share/lxc/config/common.conf\n"
         "lxc.include = /usr/share/lxc/config/userns.conf\n"
         "lxc.idmap = u 0 400000 65536\nlxc.idmap = g 0 400000 65536\n"
         "lxc.net.0.type = empty\n";
  RootShell("chown -R " + user_.name + ": " + user_.home + "/.config && chmod o+x " + user_.home);
  const std::string name = "uxct-runtime-lxc";
  RunAs(user_, {"lxc-destroy", "-n", name});  // from an interrupted earlier run
  CommandResult created = RunAs(user_, {"lxc-create", "-t", "busybox", "-n", name});
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  std::string lxcpath = user_.home + "/.local/share/lxc";
  std::string config = ReadFileOrDie(lxcpath + "/" + name + "/config");
  EXPECT_TRUE(Contains(config, "lxc.include = /usr/share/lxc/config/common.conf"));

  CommandResult result = Uxc({"execute", "-P", lxcpath, name, "--", "/bin/true"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  CommandResult inside =
      Uxc({"execute", "-P", lxcpath, name, "--", "/bin/sh", "-c", "hostname; id -u"});
  EXPECT_EQ(inside.exit_code, 0) << inside.err;
  EXPECT_EQ(inside.out, name + "\n0\n");
  CommandResult destroyed = RunAs(user_, {"lxc-destroy", "-n", name});
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.err;
}

}  // namespace
}  // namespace uxc::testing

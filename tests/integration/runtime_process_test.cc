// The container's process: exit status and signals, the environment,
// identity, rlimits, sysctls, oom_score_adj, and hooks.
#include <fstream>

#include "tests/integration/runtime_fixture.h"

namespace uxc::testing {
namespace {

using RuntimeProcessTest = RuntimeTest;

TEST_F(RuntimeProcessTest, ExitStatusIsTheCommands) {
  EXPECT_EQ(RunScript("exit 7").exit_code, 7);
  EXPECT_EQ(RunScript("true").exit_code, 0);
}

TEST_F(RuntimeProcessTest, ASignalThatKillsTheCommandGives128PlusIt) {
  EXPECT_EQ(RunScript("kill -TERM $$").exit_code, 128 + 15);
  EXPECT_EQ(RunScript("kill -KILL $$").exit_code, 128 + 9);
}

TEST_F(RuntimeProcessTest, SignalsToUxcAreForwardedToTheCommand) {
  // The command reports it is running through a file in a bound directory;
  // the outer shell then signals uxc (not the container) and waits.
  std::string shared = SharedDirectory("shared");
  std::string script =
      InstalledBinary("uxc") + " run --rootfs " + rootfs_ + " -s 'lxc.mount.entry = " + shared +
      " mnt none bind 0 0' -- /bin/sh -c 'trap \"exit 42\" TERM; touch /mnt/ready; "
      "while :; do sleep 0.05; done' & pid=$!; "
      "while [ ! -e " +
      shared +
      "/ready ] && kill -0 $pid; do sleep 0.05; done; kill -TERM $pid; wait $pid; "
      "echo status=$?";
  CommandResult result = RunAs(user_, {"/bin/sh", "-c", script});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "status=42\n");
}

TEST_F(RuntimeProcessTest, OrphansAreReapedByUxcsInit) {
  // The subshell exits at once, so `sleep` is re-parented to pid 1. Once the
  // sleep has exited, only a reaper makes its /proc entry go away; without
  // one it would stay a zombie for good.
  CommandResult result = RunScript(
      "sh -c 'sleep 0.2 & echo $! > /tmp/orphan'; p=$(cat /tmp/orphan); i=0; "
      "while [ -e /proc/$p ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; "
      "[ -e /proc/$p ] && echo zombie || echo reaped");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "reaped\n");
}

TEST_F(RuntimeProcessTest, EnvironmentIsLxcsPlusContainerAndPath) {
  RunOptions options;
  options.env = {{"GREETING", "hi"}, {"SECRET", "not passed"}};
  CommandResult result = Uxc({"run", "--rootfs", rootfs_, "-s", "lxc.environment=FOO=bar", "-s",
                              "lxc.environment=GREETING", "--", "/bin/sh", "-c", "env | sort"},
                             options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      result.out,
      "FOO=bar\nGREETING=hi\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
      "PWD=/\nSHLVL=1\ncontainer=lxc\ncontainer_ttys=\n");
}

TEST_F(RuntimeProcessTest, InitIdentityAndDirectory) {
  CommandResult result = RunScript(
      "id -u; id -g; awk '/^Groups/ {print $2, $3}' /proc/self/status; pwd",
      {"lxc.init.uid=1000", "lxc.init.gid=1000", "lxc.init.groups=5,1000", "lxc.init.cwd=/tmp"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "1000\n1000\n5 1000\n/tmp\n");
}

TEST_F(RuntimeProcessTest, InitGroupsAccumulateOverLines) {
  CommandResult result = RunScript(
      "awk '/^Groups/ {print $2, $3, $4}' /proc/self/status",
      {"lxc.init.uid=1000", "lxc.init.gid=1000", "lxc.init.groups=5", "lxc.init.groups=7,1000"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "5 7 1000\n");
}

TEST_F(RuntimeProcessTest, Rlimits) {
  CommandResult result = RunScript("ulimit -n; ulimit -Hn; ulimit -c",
                                   {"lxc.prlimit.nofile=200:300", "lxc.prlimit.core=0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "200\n300\n0\n");
}

TEST_F(RuntimeProcessTest, RaisingAHardLimitIsRefusedBeforeStart) {
  CommandResult result = RunScript("true", {"lxc.prlimit.nofile=unlimited"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(Contains(result.err, "lxc.prlimit.nofile"));
  EXPECT_TRUE(Contains(result.err, "only root on the host may raise a hard limit"));
}

TEST_F(RuntimeProcessTest, NamespacedSysctlIsSetAndOthersRefused) {
  CommandResult result =
      RunScript("cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax",
                {"lxc.sysctl.net.ipv4.ip_forward=1", "lxc.sysctl.kernel.msgmax=12345"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "1\n12345\n");
  CommandResult refused = RunScript("true", {"lxc.sysctl.vm.swappiness=10"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(Contains(refused.err, "vm.swappiness is not a per-namespace sysctl"));
}

TEST_F(RuntimeProcessTest, ArchSetsThePersonality) {
  CommandResult result = RunScript("uname -m", {"lxc.arch=i686"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "i686\n");
}

TEST_F(RuntimeProcessTest, OomScoreAdjCanBeRaised) {
  CommandResult result = RunScript("cat /proc/self/oom_score_adj", {"lxc.proc.oom_score_adj=500"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "500\n");
}

TEST_F(RuntimeProcessTest, HooksRunAtTheirPoints) {
  std::string shared = SharedDirectory("shared");
  std::string log = scratch_ + "/host-hooks.log";
  RootShell("touch " + log + " && chown " + user_.name + " " + log);
  std::string host_hook = scratch_ + "/host-hook";
  std::ofstream(host_hook) << "#!/bin/sh\necho \"$LXC_HOOK_TYPE $LXC_NAME\" >> " << log << "\n";
  RootShell("chmod 755 " + host_hook);
  WriteContainer("hooked", "lxc.mount.entry = " + shared +
                               " mnt none bind 0 0\n"
                               "lxc.hook.version = 1\n"
                               "lxc.hook.pre-start = " +
                               host_hook +
                               "\n"
                               "lxc.hook.post-stop = " +
                               host_hook +
                               "\n"
                               "lxc.hook.start = /bin/sh -c 'echo start $LXC_NAME > /mnt/start'\n");
  CommandResult result = Execute("hooked", {"/bin/cat", "/mnt/start"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "start hooked\n");
  EXPECT_EQ(ReadFileOrDie(log), "pre-start hooked\npost-stop hooked\n");
}

}  // namespace
}  // namespace uxc::testing

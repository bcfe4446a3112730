// The pure cgroup v2 VM (tests/vm/vm pure-v2): what the cgroup tests rely on,
// and the installed uxc running a container there as the test user.
#include <string>

#include "gtest/gtest.h"
#include "tests/vm/vm_host.h"

namespace uxc::testing {
namespace {

TEST(PureV2Host, RootCgroupOffersMemoryPidsCpuAndIoOnCgroup2Alone) {
  VmOptions options;
  options.as_root = true;
  CommandResult result = RunInVm(options, R"sh(
    echo "controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
    echo "enabled: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
    awk '$3 ~ /^cgroup/ { print "mount:", $2, $3 }' /proc/mounts
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  for (const char* controller : {"memory", "pids", "cpu", "io"}) {
    EXPECT_TRUE(HasWord(LineAfter(result.out, "controllers: "), controller))
        << controller << "\n" << Describe(result);
    EXPECT_TRUE(HasWord(LineAfter(result.out, "enabled: "), controller))
        << controller << "\n" << Describe(result);
  }
  // One cgroup2 mount and no v1 hierarchy: not this hybrid build host.
  EXPECT_NE(result.out.find("mount: /sys/fs/cgroup cgroup2\n"), std::string::npos) << Describe(result);
  EXPECT_EQ(result.out.find(" cgroup\n"), std::string::npos) << Describe(result);
}

TEST(PureV2Host, UserRunsABusyboxContainerThroughTheSetuidIdMapHelpers) {
  VmOptions options;
  options.install_uxc = true;
  CommandResult result = RunInVm(options, std::string(kMakeBusyboxContainer) + R"sh(
    echo "outside: $(id -u) with helpers $(stat -c '%a %U' /opt/uxc/bin/uxc-newuidmap /opt/uxc/bin/uxc-newgidmap | tr '\n' ' ')"
    uxc execute -P $HOME/containers box -- /bin/sh -c \
      'echo "inside: uid $(id -u) on $(hostname)"; echo "uid_map:" $(cat /proc/self/uid_map); echo "gid_map:" $(cat /proc/self/gid_map)'
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_NE(result.out.find("outside: 1000 with helpers 4755 root 4755 root"), std::string::npos)
      << Describe(result);
  EXPECT_NE(result.out.find("inside: uid 0"), std::string::npos) << Describe(result);
  // Container root is the first of tester's subordinate ids: only the
  // setuid helpers may write such a map.
  EXPECT_TRUE(LineAfter(result.out, "uid_map: ").starts_with("0 100000 ")) << Describe(result);
  EXPECT_TRUE(LineAfter(result.out, "gid_map: ").starts_with("0 100000 ")) << Describe(result);
}

// Linux 6.1 (Debian 12's kernel) refuses an overlay whose upper layer is a
// detached mount: `uxc run` must attach its tmpfs first.
TEST(PureV2Host, UserRunsAnEphemeralBusyboxRootfsThatLeavesNothingBehind) {
  VmOptions options;
  options.install_uxc = true;
  CommandResult result = RunInVm(options, std::string(kMakeBusyboxContainer) + R"sh(
    mounts=$(cat /proc/self/mountinfo)
    uxc run --rootfs $rootfs -- /bin/sh -c \
      'echo scratch > /scratch; echo "inside: uid $(id -u) wrote $(cat /scratch)"'
    echo "status: $?"
    echo "rootfs after: $(ls -A $rootfs | tr '\n' ' ')"
    [ "$(cat /proc/self/mountinfo)" = "$mounts" ] && echo "mounts: unchanged"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_NE(result.out.find("inside: uid 0 wrote scratch\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("status: 0\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("rootfs after: bin dev etc proc root sys tmp \n"), std::string::npos)
      << Describe(result);
  EXPECT_NE(result.out.find("mounts: unchanged\n"), std::string::npos) << Describe(result);
}

TEST(PureV2Host, DelegatedCgroupIsTheUsersToSubdivide) {
  VmOptions options;
  options.delegate = true;
  CommandResult result = RunInVm(options, R"sh(
    set -e
    node=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
    echo "node: $node"
    stat -c 'owner: %n %U' $node $node/cgroup.procs $node/cgroup.subtree_control $node/cgroup.threads
    mkdir $node/leaf
    echo $$ > $node/leaf/cgroup.procs
    echo '+memory +pids +cpu +io' > $node/cgroup.subtree_control
    echo "enabled: $(cat $node/cgroup.subtree_control)"
    echo "leaf: $(cat /proc/self/cgroup)"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  std::string node = LineAfter(result.out, "node: ");
  ASSERT_TRUE(node.starts_with("/sys/fs/cgroup/") && node != "/sys/fs/cgroup/") << Describe(result);
  for (const char* file : {"", "/cgroup.procs", "/cgroup.subtree_control", "/cgroup.threads"}) {
    EXPECT_NE(result.out.find("owner: " + node + file + " tester\n"), std::string::npos)
        << file << "\n" << Describe(result);
  }
  EXPECT_NE(result.out.find("enabled: cpu io memory pids"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("/leaf\n"), std::string::npos) << Describe(result);
}

TEST(PureV2Host, HarnessReturnsTheScriptsStatus) {
  CommandResult result = RunInVm({}, "echo before; exit 7");
  EXPECT_EQ(result.exit_code, 7) << Describe(result);
  EXPECT_EQ(result.out, "before\n") << Describe(result);
}

TEST(PureV2Host, HarnessEndsAStuckVmAtItsTimeLimit) {
  VmOptions options;
  options.timeout_seconds = 20;
  CommandResult result = RunInVm(options, "sleep 100000");
  EXPECT_EQ(result.exit_code, 124) << Describe(result);
  EXPECT_NE(result.err.find("time limit of 20s"), std::string::npos) << Describe(result);
}

}  // namespace
}  // namespace uxc::testing

// The container's own cgroup on the pure cgroup v2 VM (issue 12): with a
// node delegated to tester and the script in a session leaf of it (as
// pam_uxc places a login), the limits hold inside the container (a memory
// hog is OOM-killed and the host goes on, pids.max stops a fork bomb,
// cpu.max throttles), nothing is left after kill -9 of the monitor, and a
// limit on a controller the node does not delegate fails with its fix.
#include <string>

#include "gtest/gtest.h"
#include "tests/vm/vm_host.h"

namespace uxc::testing {
namespace {

// The script leaves the delegated node for a session leaf in it, as a
// pam_uxc login sits, so that uxc may hand controllers down from the node.
constexpr char kIntoSessionLeaf[] = R"sh(
node=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
mkdir $node/session-1 && echo $$ > $node/session-1/cgroup.procs
chmod 1777 $rootfs/tmp
config=$HOME/containers/box/config
)sh";

// `body` as tester, in the session leaf, with uxc installed.
CommandResult RunInSessionLeaf(const std::string& body) {
  VmOptions options;
  options.delegate = true;
  options.install_uxc = true;
  return RunInVm(options, std::string(kMakeBusyboxContainer) + kIntoSessionLeaf + body);
}

int NumberAfter(const std::string& text, const std::string& prefix) {
  std::string value = LineAfter(text, prefix);
  return value.empty() ? -1 : std::stoi(value);
}

TEST(PureV2CgroupLimits, MemoryPidsAndCpuLimitsHoldInside) {
  CommandResult result = RunInSessionLeaf(R"sh(
    printf 'lxc.cgroup2.memory.max = 32M\nlxc.cgroup2.memory.swap.max = 0\nlxc.cgroup2.pids.max = 20\nlxc.cgroup2.cpu.max = 10000 100000\n' >> $config
    uxc execute -P $HOME/containers box -- /bin/sh -c '
      echo "cgroup: $(cat /proc/self/cgroup)"
      mkdir /tmp/cg && mount -t cgroup2 none /tmp/cg
      echo "limits: $(cat /tmp/cg/memory.max) $(cat /tmp/cg/pids.max) $(cat /tmp/cg/cpu.max)"
      dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo "hog status: $?"
      echo "oom kills: $(sed -n "s/^oom_kill //p" /tmp/cg/memory.events)"
      # ash ends at the first fork it cannot make: the bomb runs in a
      # subshell, and its sleepers are killed with builtins alone.
      (i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done) 2>/tmp/forks
      while read pid; do [ $pid = $$ ] || [ $pid = 1 ] || kill $pid; done < /tmp/cg/cgroup.procs
      sleep 1
      echo "refused forks: $(grep -c fork /tmp/forks)"
      echo "pids max events: $(sed -n "s/^max //p" /tmp/cg/pids.events)"
      timeout 1 sh -c "while :; do :; done"
      echo "throttled: $(sed -n "s/^nr_throttled //p" /tmp/cg/cpu.stat)"'
    echo "status: $?"
    echo "host goes on: $(cat /proc/self/cgroup)"
    echo "left: $(ls -d $node/uxc.* 2>/dev/null | tr '\n' ' ')."
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "cgroup: "), "0::/") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "limits: "), "33554432 20 10000 100000") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "hog status: "), "137") << Describe(result);
  EXPECT_GE(NumberAfter(result.out, "oom kills: "), 1) << Describe(result);
  EXPECT_GE(NumberAfter(result.out, "refused forks: "), 1) << Describe(result);
  EXPECT_GE(NumberAfter(result.out, "pids max events: "), 1) << Describe(result);
  EXPECT_GE(NumberAfter(result.out, "throttled: "), 1) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "status: "), "0") << Describe(result);
  EXPECT_NE(LineAfter(result.out, "host goes on: "), "") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "left: "), ".") << Describe(result);
}

TEST(PureV2CgroupLimits, NothingIsLeftAfterKillMinus9OfTheMonitor) {
  CommandResult result = RunInSessionLeaf(R"sh(
    printf 'lxc.init.cmd = /bin/sleep 1000\nlxc.cgroup2.pids.max = 50\n' >> $config
    uxc start -P $HOME/containers box || exit 1
    echo "made: $(ls -d $node/uxc.* | tr '\n' ' ')"
    state=$(find $HOME/.cache ${XDG_RUNTIME_DIR:-/nonexistent} -path '*/box/state' 2>/dev/null | head -n 1)
    monitor=$(sed -n 's/^monitor_pid=//p' $state)
    kill -9 $monitor
    n=0; while kill -0 $monitor 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n+1)); done
    uxc ls -P $HOME/containers >/dev/null 2>&1
    echo "left: $(ls -d $node/uxc.* 2>/dev/null | tr '\n' ' ')."
    echo "sleepers: $(ps -o args | grep -c '^/bin/sleep 1000$')"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_NE(LineAfter(result.out, "made: ").find("uxc.payload.box"), std::string::npos) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "left: "), ".") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "sleepers: "), "0") << Describe(result);
}

TEST(PureV2CgroupLimits, ALimitOnAControllerNotDelegatedFailsWithItsFix) {
  // A node below tester's that hands down pids alone: memory is not
  // delegated there.
  CommandResult result = RunInSessionLeaf(R"sh(
    mkdir $node/pidsonly && echo +pids > $node/cgroup.subtree_control
    mkdir $node/pidsonly/session-2 && echo $$ > $node/pidsonly/session-2/cgroup.procs
    echo 'lxc.cgroup2.memory.max = 32M' >> $config
    uxc start -P $HOME/containers box 2>&1
    echo "status: $?"
    echo "left: $(ls -d $node/pidsonly/uxc.* 2>/dev/null | tr '\n' ' ')."
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_NE(result.out.find("config:3: lxc.cgroup2.memory.max = 32M: the memory controller is not delegated to "),
            std::string::npos)
      << Describe(result);
  EXPECT_NE(result.out.find("pam_uxc.so controllers=cpu,cpuset,io,memory,pids"), std::string::npos) << Describe(result);
  EXPECT_NE(LineAfter(result.out, "status: "), "0") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "left: "), ".") << Describe(result);
}

}  // namespace
}  // namespace uxc::testing

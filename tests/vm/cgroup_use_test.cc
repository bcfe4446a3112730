// The container's own cgroup in use on the pure cgroup v2 VM (tests/vm/vm
// pure-v2 --delegate, every controller delegated to tester): info's figures
// from memory.current, memory.peak, cpu.stat and pids.current, freeze and
// unfreeze, and lxc.mount.auto's cgroup:ro and cgroup:rw inside. A start
// enables a controller in the payload only for a limit on it, so the
// containers here set memory and pids limits.
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "tests/vm/vm_host.h"

namespace uxc::testing {
namespace {

// The script moves into a leaf of its delegated cgroup, as pam_uxc places
// a login (a cgroup with processes cannot hand controllers down). `figure
// NAME` prints the number info's JSON gives for NAME; `busy` is an init
// that spends CPU without end.
constexpr char kHelpers[] = R"sh(
node=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
mkdir $node/session-1 && echo $$ > $node/session-1/cgroup.procs || exit 1
c="-P $HOME/containers box"
figure() { uxc info $c --format json | sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p"; }
# Waits (at most 20 s) until figure $1 differs from $2; prints it.
moved() { i=0; while [ "$(figure $1)" = "$2" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done; figure $1; }
busy='i=0; while :; do i=$((i+1)); done'
)sh";

uint64_t Figure(const CommandResult& result, const std::string& name) {
  return std::strtoull(LineAfter(result.out, name + ": ").c_str(), nullptr, 10);
}

TEST(CgroupUseOnPureV2, InfoShowsFiguresThatMoveAndFreezeStopsThem) {
  VmOptions options;
  options.delegate = true;
  options.install_uxc = true;
  CommandResult result = RunInVm(options, std::string(kMakeBusyboxContainer) + kHelpers + R"sh(
    uxc start $c -s lxc.cgroup2.memory.max=256M -s lxc.cgroup2.pids.max=100 -- /bin/sh -c "$busy" || exit 1
    cpu=$(figure cpu_usage_usec); echo "cpu first: $cpu"
    echo "cpu later: $(moved cpu_usage_usec $cpu)"
    echo "memory: $(figure memory_current)"
    echo "peak: $(figure memory_peak)"
    echo "pids: $(figure pids_current)"
    uxc info $c | grep -E '^(CPU|Memory|BlkIO) ' | sed 's/:  */: /; s/^/text /'
    uxc freeze $c && echo "freeze: $?"
    echo "ls: $(uxc ls -P $HOME/containers -F NAME,STATE | sed -n 's/^box  *//p')"
    frozen=$(figure cpu_usage_usec); sleep 1
    echo "cpu frozen: $frozen $(figure cpu_usage_usec)"
    uxc unfreeze $c && echo "unfreeze: $?"
    echo "cpu thawed: $(moved cpu_usage_usec $frozen)"
    echo "ls: $(uxc ls -P $HOME/containers -F NAME,STATE | sed -n 's/^box  *//p')"
    payload=$(uxc info $c --format json | sed -n 's/.*"path": "\([^"]*\)".*/\1/p')
    uxc stop $c -k && echo "stop: $?"
    [ -n "$payload" ] && [ ! -e "$payload" ] && echo "payload removed"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_GT(Figure(result, "cpu later"), Figure(result, "cpu first")) << Describe(result);
  EXPECT_GT(Figure(result, "memory"), 0u) << Describe(result);
  EXPECT_GE(Figure(result, "peak"), Figure(result, "memory")) << Describe(result);
  EXPECT_GE(Figure(result, "pids"), 1u) << Describe(result);
  EXPECT_NE(result.out.find("text CPU use: "), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("text Memory use: "), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("text Memory peak: "), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("freeze: 0\nls: FROZEN\n"), std::string::npos) << Describe(result);
  std::string frozen = LineAfter(result.out, "cpu frozen: ");
  std::string first = frozen.substr(0, frozen.find(' '));
  EXPECT_FALSE(first.empty()) << Describe(result);
  EXPECT_EQ(frozen, first + " " + first) << "a frozen container spent CPU\n" << Describe(result);
  EXPECT_GT(Figure(result, "cpu thawed"), std::strtoull(first.c_str(), nullptr, 10)) << Describe(result);
  EXPECT_NE(result.out.find("unfreeze: 0\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("ls: RUNNING\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("stop: 0\npayload removed\n"), std::string::npos) << Describe(result);
}

// The container sees its payload at / of a cgroup2 of its own cgroup
// namespace: with cgroup:rw its root makes a sub-cgroup, moves in and
// enables a delegated controller for it (the no-internal-process rule holds
// at the payload as anywhere); cgroup:ro shows the tree read-only. The init
// probes and writes /dev/probe-out; attach reads it.
TEST(CgroupUseOnPureV2, MountAutoCgroupIsReadOnlyOrWritable) {
  VmOptions options;
  options.delegate = true;
  options.install_uxc = true;
  CommandResult result = RunInVm(options, std::string(kMakeBusyboxContainer) + kHelpers + R"sh(
    probe='{ echo "cgroup: $(sed -n "s/^0:://p" /proc/self/cgroup)"
      echo "controllers: $(cat /sys/fs/cgroup/cgroup.controllers)"
      if mkdir /sys/fs/cgroup/sub 2>/dev/probe-err && echo $$ > /sys/fs/cgroup/sub/cgroup.procs 2>>/dev/probe-err &&
         echo +pids > /sys/fs/cgroup/cgroup.subtree_control 2>>/dev/probe-err
      then echo "made: $(cat /sys/fs/cgroup/sub/pids.max)"; else echo "refused: $(cat /dev/probe-err)"; fi
      } > /dev/probe-part; mv /dev/probe-part /dev/probe-out; exec sleep 1000'
    for mode in ro rw; do
      uxc start $c -s lxc.mount.auto=cgroup:$mode -s lxc.cgroup2.pids.max=100 -- /bin/sh -c "$probe" || exit 1
      # stdin is the script itself: attach must not read it.
      i=0; until uxc attach $c -- cat /dev/probe-out < /dev/null > out 2>/dev/null || [ $i -ge 100 ]; do
        sleep 0.1; i=$((i+1))
      done
      sed "s/^/$mode /" out
      uxc stop $c -k
    done
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  for (const char* mode : {"ro ", "rw "}) {
    EXPECT_EQ(LineAfter(result.out, std::string(mode) + "cgroup: "), "/") << mode << Describe(result);
    EXPECT_TRUE(HasWord(LineAfter(result.out, std::string(mode) + "controllers: "), "pids")) << Describe(result);
  }
  EXPECT_NE(LineAfter(result.out, "ro refused: ").find("Read-only file system"), std::string::npos)
      << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "rw made: "), "max") << Describe(result);
}

}  // namespace
}  // namespace uxc::testing

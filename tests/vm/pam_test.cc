// pam_uxc.so in the VMs (docs/pam.md): on the pure cgroup v2 host, where
// every controller can reach a user's node, and on the systemd host, where
// the module must leave systemd's cgroups alone. pamtester drives a PAM
// stack holding the installed module (/opt/uxc/lib/security/pam_uxc.so);
// a pam_exec line after it runs a script inside each session. The module's
// lines are read back from busybox syslogd (pure v2) or the journal.
#include <string>

#include "gtest/gtest.h"
#include "tests/vm/vm_host.h"

namespace uxc::testing {
namespace {

// Root's set-up on the pure v2 host: a syslogd, the stack `uxc-vm`, and the
// session script /run/hook. The hook writes the session's cgroup to
// /run/cg.PAMTESTER_PID; it holds the session open until /run/go appears
// when /run/hold existed at its start (60 s at most), and runs /run/as-user
// as tester inside the session when that file exists.
constexpr char kPureV2Stack[] = R"sh(
syslogd -O /run/messages
cat > /etc/pam.d/uxc-vm <<'EOF'
session optional /opt/uxc/lib/security/pam_uxc.so debug
session optional pam_exec.so /bin/sh /run/hook
EOF
cat > /run/hook <<'EOF'
[ "$PAM_TYPE" = open_session ] || exit 0
sed -n 's/^0:://p' /proc/self/cgroup > /run/cg.$PPID.new && mv /run/cg.$PPID.new /run/cg.$PPID
if [ -e /run/as-user ]; then su -s /bin/sh tester -c 'sh /run/as-user' > /run/as-user.out 2>&1; fi
if [ -e /run/hold ]; then
  i=0; while [ ! -e /run/go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
fi
exit 0
EOF
# Waits (60 s at most) for the file $1.
await() { i=0; while [ ! -e "$1" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; [ -e "$1" ]; }
node=/sys/fs/cgroup/uxc.users/tester
)sh";

VmOptions PureV2AsRoot() {
  VmOptions options;
  options.as_root = true;
  options.install_uxc = true;
  return options;
}

TEST(PamOnPureV2, TwoSessionsShareTheNodeAClosingOneTakesItsLeafAndTheLastTheNode) {
  CommandResult result = RunInVm(PureV2AsRoot(), std::string(kPureV2Stack) + R"sh(
    touch /run/hold
    pamtester uxc-vm tester open_session close_session > /run/first.out 2>&1 &
    first=$!
    await /run/cg.$first || echo "the first session never opened: $(cat /run/first.out)"
    rm /run/hold
    pamtester uxc-vm tester open_session close_session > /run/second.out 2>&1 &
    second=$!
    wait $second; echo "second status: $?"
    echo "first leaf: $(cat /run/cg.$first)"
    echo "second leaf: $(cat /run/cg.$second)"
    echo "node owner: $(stat -c %U $node)"
    echo "node enabled: $(cat $node/cgroup.subtree_control)"
    for path in $node /sys/fs/cgroup$(cat /run/cg.$first) /sys/fs/cgroup$(cat /run/cg.$second); do
      [ -d $path ] && echo "after the second close: $path stays" || echo "after the second close: $path gone"
    done
    touch /run/go
    wait $first; echo "first status: $?"
    [ -d $node ] && echo "after the last close: node stays" || echo "after the last close: node gone"
    sed -n 's/.*pam_uxc/log: pam_uxc/p' /run/messages
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  std::string first = LineAfter(result.out, "first leaf: "), second = LineAfter(result.out, "second leaf: ");
  EXPECT_TRUE(first.starts_with("/uxc.users/tester/session-")) << Describe(result);
  EXPECT_TRUE(second.starts_with("/uxc.users/tester/session-")) << Describe(result);
  EXPECT_NE(first, second) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "second status: "), "0") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "first status: "), "0") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "node owner: "), "tester") << Describe(result);
  // Pure v2: the controllers reach the node, unlike on the hybrid build host.
  for (const char* controller : {"cpu", "io", "memory", "pids"}) {
    EXPECT_TRUE(HasWord(LineAfter(result.out, "node enabled: "), controller)) << controller << Describe(result);
  }
  std::string node = "/sys/fs/cgroup/uxc.users/tester";
  EXPECT_NE(result.out.find("after the second close: " + node + " stays\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("after the second close: /sys/fs/cgroup" + first + " stays\n"), std::string::npos)
      << Describe(result);
  EXPECT_NE(result.out.find("after the second close: /sys/fs/cgroup" + second + " gone\n"), std::string::npos)
      << Describe(result);
  EXPECT_NE(result.out.find("after the last close: node gone\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("log: pam_uxc(uxc-vm:session): removed " + node), std::string::npos) << Describe(result);
}

// What uxc does for a container, by hand: the user makes a child of the
// node, enables memory and pids in its subtree_control, and a memory limit
// below it holds.
TEST(PamOnPureV2, TheUserSubdividesTheNodeAndAMemoryLimitThereHolds) {
  CommandResult result = RunInVm(PureV2AsRoot(), std::string(kPureV2Stack) + R"sh(
    cat > /run/as-user <<'EOF'
      set -e
      n=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup); n=${n%/*}
      echo "user: $(id -un) in $n"
      mkdir $n/box
      echo '+memory +pids' > $n/box/cgroup.subtree_control
      echo "box enabled: $(cat $n/box/cgroup.subtree_control)"
      mkdir $n/box/hog
      echo 32M > $n/box/hog/memory.max
      echo 16 > $n/box/hog/pids.max
      set +e
      sh -c "echo \$\$ > $n/box/hog/cgroup.procs && exec dd if=/dev/zero of=/dev/null bs=96M count=1" 2>/dev/null
      echo "hog status: $?"
      echo "hog oom_kill: $(sed -n 's/^oom_kill //p' $n/box/hog/memory.events)"
      echo "hog memory.max: $(cat $n/box/hog/memory.max)"
      sh -c "echo \$\$ > $n/box/hog/cgroup.procs && exec dd if=/dev/zero of=/dev/null bs=8M count=1" 2>/dev/null
      echo "small status: $?"
EOF
    pamtester uxc-vm tester open_session close_session; echo "pamtester status: $?"
    cat /run/as-user.out
    [ -d $node ] && echo "after the close: node stays" || echo "after the close: node gone"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_NE(result.out.find("pamtester status: 0\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("user: tester in /sys/fs/cgroup/uxc.users/tester\n"), std::string::npos)
      << Describe(result);
  EXPECT_NE(result.out.find("box enabled: memory pids\n"), std::string::npos) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "hog memory.max: "), "33554432") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "hog status: "), "137") << "SIGKILLed by the OOM killer\n" << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "hog oom_kill: "), "1") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "small status: "), "0") << "8 MiB fits under the limit\n" << Describe(result);
  // The user's own cgroups below the node keep it (docs/pam.md): only
  // session-* and uxc.* go with it.
  EXPECT_NE(result.out.find("after the close: node stays\n"), std::string::npos) << Describe(result);
}

// In a pam_uxc session, `uxc start` finds the node as its delegated cgroup
// with no flag, makes the container's cgroup below it, and the container's
// lxc.cgroup2.memory.max holds: its init's 96 MiB allocation is OOM-killed,
// an 8 MiB one is not.
TEST(PamOnPureV2, InASessionUxcStartsAContainerWhoseMemoryLimitHolds) {
  CommandResult result = RunInVm(PureV2AsRoot(), std::string(kPureV2Stack) + R"sh(
    {
      echo 'export PATH=/opt/uxc/bin:/usr/bin:/bin HOME=/home/tester XDG_RUNTIME_DIR=/run/user/1000; cd $HOME'
      cat <<'EOF'
)sh" + kMakeBusyboxContainer + R"sh(
echo 'lxc.cgroup2.memory.max = 32M' >> $HOME/containers/box/config
chmod 1777 $rootfs/tmp  # container root, a subordinate id, writes its results there
uxc start -P $HOME/containers box -- /bin/sh -c \
  'dd if=/dev/zero of=/dev/null bs=96M count=1 2>/dev/null; echo "big: $?" > /tmp/result
   dd if=/dev/zero of=/dev/null bs=8M count=1 2>/dev/null; echo "small: $?" >> /tmp/result; exec sleep 600'
echo "start status: $?"
i=0; while [ "$(cat $rootfs/tmp/result 2>/dev/null | wc -l)" != 2 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
sed 's/^/inside /' $rootfs/tmp/result
payload=$(find /sys/fs/cgroup/uxc.users/tester -type d -name uxc.payload.box)
echo "payload: $payload"
echo "payload memory.max: $(cat $payload/memory.max)"
echo "payload oom_kill: $(sed -n 's/^oom_kill //p' $payload/memory.events)"
uxc stop -P $HOME/containers -k box; echo "stop status: $?"
EOF
    } > /run/as-user
    pamtester uxc-vm tester open_session close_session; echo "pamtester status: $?"
    cat /run/as-user.out
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_NE(result.out.find("pamtester status: 0\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("start status: 0\n"), std::string::npos) << Describe(result);
  EXPECT_TRUE(LineAfter(result.out, "payload: ").starts_with("/sys/fs/cgroup/uxc.users/tester/")) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "payload memory.max: "), "33554432") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "inside big: "), "137") << "SIGKILLed by the OOM killer\n" << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "inside small: "), "0") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "payload oom_kill: "), "1") << Describe(result);
  EXPECT_NE(result.out.find("stop status: 0\n"), std::string::npos) << Describe(result);
}

TEST(PamOnSystemd, ALoginWithPamUxcAfterPamSystemdLeavesSystemdsCgroupsAlone) {
  VmOptions options;
  options.host = "systemd";
  options.as_root = true;
  options.install_uxc = true;
  options.setup = R"sh(
    sed -i '/pam_systemd.so/a session optional /opt/uxc/lib/security/pam_uxc.so debug' /etc/pam.d/common-session
  )sh";
  CommandResult result = RunInVm(options, R"sh(
    grep -n 'pam_systemd\|pam_uxc' /etc/pam.d/common-session | sed 's/^/stack: /'
    su -l tester -c 'echo "login cgroup: $(sed -n "s/^0:://p" /proc/self/cgroup)"'
    echo "su status: $?"
    after=$(find /sys/fs/cgroup -type d | sort)
    echo "$after" | grep -E '/uxc\.|/session-[0-9]+$' | sed 's/^/made: /'
    [ -e /sys/fs/cgroup/uxc.users ] && echo "uxc.users: exists" || echo "uxc.users: none"
    journalctl -b --no-pager -o cat | grep pam_uxc | sed 's/^/log: /'
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  std::string stack_systemd = LineAfter(result.out, "stack: ");
  EXPECT_NE(stack_systemd.find("pam_systemd"), std::string::npos) << "pam_systemd comes first\n" << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "su status: "), "0") << Describe(result);
  std::string login = LineAfter(result.out, "login cgroup: ");
  EXPECT_TRUE(login.starts_with("/user.slice/user-1000.slice/session-") && login.ends_with(".scope"))
      << "systemd's session scope\n" << Describe(result);
  EXPECT_EQ(result.out.find("made: "), std::string::npos) << "no cgroup of pam_uxc's\n" << Describe(result);
  EXPECT_NE(result.out.find("uxc.users: none\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("log: pam_uxc(su-l:session): systemd runs this host and delegates through "
                            "user@.service: nothing to do"),
            std::string::npos)
      << Describe(result);
}

}  // namespace
}  // namespace uxc::testing

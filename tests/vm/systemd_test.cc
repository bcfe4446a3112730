// The systemd VM (tests/vm/vm systemd): a real logind session for the test
// user, a delegated scope from the user's systemd, and the installed uxc
// running a container from inside that scope.
#include <string>

#include "gtest/gtest.h"
#include "tests/vm/vm_host.h"

namespace uxc::testing {
namespace {

VmOptions Systemd() {
  VmOptions options;
  options.host = "systemd";
  return options;
}

TEST(SystemdHost, UserScriptRunsInALogindSessionWithItsOwnSystemd) {
  CommandResult result = RunInVm(Systemd(), R"sh(
    echo "uid: $(id -u)"
    echo "cgroup: $(cat /proc/self/cgroup)"
    loginctl show-session "$XDG_SESSION_ID" -p Name -p Active | sed 's/^/session: /'
    echo "manager: $(systemctl --user show -p SystemState --value)"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_NE(result.out.find("uid: 1000\n"), std::string::npos) << Describe(result);
  std::string cgroup = LineAfter(result.out, "cgroup: ");
  EXPECT_TRUE(cgroup.starts_with("0::/user.slice/user-1000.slice/session-") && cgroup.ends_with(".scope"))
      << Describe(result);
  EXPECT_NE(result.out.find("session: Name=tester\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("session: Active=yes\n"), std::string::npos) << Describe(result);
  std::string manager = LineAfter(result.out, "manager: ");
  EXPECT_TRUE(manager == "running" || manager == "degraded") << Describe(result);
}

TEST(SystemdHost, DelegatedScopeIsTheUsersAndUxcRunsAContainerInIt) {
  VmOptions options = Systemd();
  options.scope = true;
  options.install_uxc = true;
  CommandResult result = RunInVm(options, std::string(kMakeBusyboxContainer) + R"sh(
    set -e
    scope=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
    echo "scope: $scope"
    stat -c 'owner: %n %U' $scope $scope/cgroup.procs $scope/cgroup.subtree_control $scope/cgroup.threads
    echo "offered: $(cat $scope/cgroup.controllers)"
    uxc execute -P $HOME/containers box -- /bin/sh -c 'echo "inside: uid $(id -u)"; echo "uid_map:" $(cat /proc/self/uid_map)'
    # The no-internal-process rule: first a leaf, then controllers below.
    mkdir $scope/leaf
    echo $$ > $scope/leaf/cgroup.procs
    echo '+memory +pids' > $scope/cgroup.subtree_control
    echo "enabled: $(cat $scope/cgroup.subtree_control)"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  std::string scope = LineAfter(result.out, "scope: ");
  ASSERT_TRUE(scope.starts_with("/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/") &&
              scope.ends_with(".scope"))
      << Describe(result);
  for (const char* file : {"", "/cgroup.procs", "/cgroup.subtree_control", "/cgroup.threads"}) {
    EXPECT_NE(result.out.find("owner: " + scope + file + " tester\n"), std::string::npos)
        << file << "\n" << Describe(result);
  }
  EXPECT_TRUE(HasWord(LineAfter(result.out, "offered: "), "memory")) << Describe(result);
  EXPECT_TRUE(HasWord(LineAfter(result.out, "offered: "), "pids")) << Describe(result);
  EXPECT_NE(result.out.find("inside: uid 0\n"), std::string::npos) << Describe(result);
  EXPECT_TRUE(LineAfter(result.out, "uid_map: ").starts_with("0 100000 ")) << Describe(result);
  EXPECT_NE(result.out.find("enabled: memory pids\n"), std::string::npos) << Describe(result);
}

// A busybox container `uxc start` can keep running: its init sleeps.
const char kStartableBox[] = R"sh(
echo 'lxc.init.cmd = /bin/sleep 600' >> $HOME/containers/box/config
)sh";

// For a script run as root: the busybox container made as tester, by a
// login shell of tester's (su -l: a logind session) that runs `then`.
std::string AsTesterWithBox(const std::string& then) {
  return std::string("cat > /tmp/box.sh <<'EOF'\nset -e\n") + kMakeBusyboxContainer + kStartableBox + then +
         "\nEOF\nsu -l tester -c 'PATH=/opt/uxc/bin:$PATH sh /tmp/box.sh'\n";
}


// The scope's unit, its Delegate= and cgroup, and the monitor's cgroup:
// printed as "unit: ", "show: Delegate=..." and "monitor: " lines.
const char kDescribeScope[] = R"sh(
unit=$(systemctl --user list-units --type=scope --no-legend --plain 'uxc-box-*' | awk '{print $1}')
echo "unit: $unit"
[ -z "$unit" ] || systemctl --user show -p Delegate -p ControlGroup -p Slice "$unit" | sed 's/^/show: /'
echo "monitor: $(sed -n 's/^0:://p' /proc/$(pgrep -u tester -x uxc-monitor)/cgroup)"
)sh";

// Issue 12: with nothing delegated to the login session's cgroup, uxc asks
// the user's systemd for a scope of its own (as liblxc does), no
// systemd-run typed; the scope goes when the container stops.
TEST(SystemdHost, PlainStartInALogindSessionGetsADelegatedScopeOfItsOwn) {
  VmOptions options = Systemd();
  options.install_uxc = true;
  CommandResult result = RunInVm(options, std::string(kMakeBusyboxContainer) + kStartableBox + R"sh(
    set -e
    echo "session: $(sed -n 's/^0:://p' /proc/self/cgroup)"
    uxc start -P $HOME/containers box
    echo "state: $(uxc ls -P $HOME/containers | awk '$1 == "box" {print $2}')"
    )sh" + kDescribeScope + R"sh(
    echo "shell after: $(sed -n 's/^0:://p' /proc/self/cgroup)"
    uxc stop -k -P $HOME/containers box
    i=0
    while systemctl --user is-active -q "$unit" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    echo "scopes left: $(systemctl --user list-units --all --type=scope --no-legend --plain 'uxc-box-*' | wc -l)"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  std::string session = LineAfter(result.out, "session: ");
  EXPECT_TRUE(session.starts_with("/user.slice/user-1000.slice/session-")) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "state: "), "RUNNING") << Describe(result);
  std::string unit = LineAfter(result.out, "unit: ");
  EXPECT_TRUE(unit.starts_with("uxc-box-") && unit.ends_with(".scope") && unit.size() == 22) << Describe(result);
  EXPECT_NE(result.out.find("show: Delegate=yes\n"), std::string::npos) << Describe(result);
  EXPECT_NE(result.out.find("show: Slice=app.slice\n"), std::string::npos) << Describe(result);
  std::string scope_cgroup = "/user.slice/user-1000.slice/user@1000.service/app.slice/" + unit;
  EXPECT_NE(result.out.find("show: ControlGroup=" + scope_cgroup + "\n"), std::string::npos) << Describe(result);
  EXPECT_TRUE(LineAfter(result.out, "monitor: ").starts_with(scope_cgroup)) << Describe(result);
  // Only uxc moved: the user's shell stays in its session.
  EXPECT_EQ(LineAfter(result.out, "shell after: "), session) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "scopes left: "), "0") << Describe(result);
}

// The scope uxc asked for is delegated for real: the container's payload
// cgroup below it takes a memory limit, and a hog inside is OOM-killed.
TEST(SystemdHost, PlainStartsScopeHoldsAMemoryLimit) {
  VmOptions options = Systemd();
  options.install_uxc = true;
  CommandResult result = RunInVm(options, std::string(kMakeBusyboxContainer) + R"sh(
    uxc execute -P $HOME/containers box -s lxc.cgroup2.memory.max=32M \
      -s 'lxc.mount.auto=proc:mixed sys:ro cgroup:rw' -- /bin/sh -c '
      echo "inside: $(cat /proc/self/cgroup) max $(cat /sys/fs/cgroup/memory.max)"
      ( x=$(head -c 300000000 /dev/zero | tr "\0" a); echo "hog kept ${#x} bytes" )
      echo "hog status: $?"
      echo "oom kills: $(sed -n "s/^oom_kill //p" /sys/fs/cgroup/memory.events)"'
    echo "status: $?"
    echo "shell: $(sed -n 's/^0:://p' /proc/self/cgroup)"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "inside: "), "0::/ max 33554432") << Describe(result);
  EXPECT_NE(LineAfter(result.out, "hog status: "), "0") << Describe(result);
  EXPECT_NE(LineAfter(result.out, "oom kills: "), "0") << Describe(result);
  EXPECT_NE(LineAfter(result.out, "oom kills: "), "") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "status: "), "0") << Describe(result);
  EXPECT_TRUE(LineAfter(result.out, "shell: ").starts_with("/user.slice/user-1000.slice/session-")) << Describe(result);
}

TEST(SystemdHost, SystemdRunScopeAroundUxcStartIsUsedAsItIs) {
  VmOptions options = Systemd();
  options.install_uxc = true;
  CommandResult result = RunInVm(options, std::string(kMakeBusyboxContainer) + kStartableBox + R"sh(
    set -e
    systemd-run --user --scope --quiet -p Delegate=yes --unit=by-hand uxc start -P $HOME/containers box 2> err
    echo "said: $(cat err | tr '\n' ' ')"
    echo "monitor: $(sed -n 's/^0:://p' /proc/$(pgrep -u tester -x uxc-monitor)/cgroup)"
    echo "uxc scopes: $(systemctl --user list-units --type=scope --no-legend --plain 'uxc-box-*' | wc -l)"
    uxc stop -k -P $HOME/containers box
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_TRUE(LineAfter(result.out, "monitor: ")
                  .starts_with("/user.slice/user-1000.slice/user@1000.service/app.slice/by-hand.scope"))
      << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "uxc scopes: "), "0") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "said: "), "") << Describe(result);
}

TEST(SystemdHost, UserServiceWithDelegateRunsAContainerInItsCgroup) {
  VmOptions options = Systemd();
  options.install_uxc = true;
  CommandResult result = RunInVm(options, std::string(kMakeBusyboxContainer) + R"sh(
    set -e
    systemd-run --user --quiet --wait --pipe -p Delegate=yes --unit=box-service \
      /opt/uxc/bin/uxc execute -P $HOME/containers box -- /bin/sh -c 'echo "inside: uid $(id -u)"' 2>&1
    echo "uxc scopes: $(systemctl --user list-units --all --type=scope --no-legend --plain 'uxc-box-*' | wc -l)"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_NE(result.out.find("inside: uid 0\n"), std::string::npos) << Describe(result);
  // The service's cgroup is delegated: uxc asks systemd for nothing more.
  EXPECT_EQ(LineAfter(result.out, "uxc scopes: "), "0") << Describe(result);
}

// su without a login (no $XDG_RUNTIME_DIR, no user bus), as cron has none:
// the start goes on, without a cgroup of its own, and says how to get one.
TEST(SystemdHost, WithoutAUserBusTheStartSaysSoAndGivesTheSystemdRunLine) {
  VmOptions options = Systemd();
  options.install_uxc = true;
  options.as_root = true;
  CommandResult result = RunInVm(options, AsTesterWithBox("") + R"sh(
    su -s /bin/sh tester -c 'cd; env -u XDG_RUNTIME_DIR -u DBUS_SESSION_BUS_ADDRESS \
      /opt/uxc/bin/uxc start -P /home/tester/containers box' 2> err
    echo "status: $?"
    grep -v '^uxc start: ' err | sed 's/^/said: /'
    # The same environment, so that stop finds the same runtime directory.
    su -s /bin/sh tester -c 'cd; env -u XDG_RUNTIME_DIR -u DBUS_SESSION_BUS_ADDRESS \
      /opt/uxc/bin/uxc stop -k -P /home/tester/containers box'
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "status: "), "0") << Describe(result);
  EXPECT_NE(LineAfter(result.out, "said: uxc: ")
                .find("no user systemd bus here (no $XDG_RUNTIME_DIR/bus, as under su or cron), so box gets no "
                      "delegated scope; from a login session, `systemd-run --user --scope -p Delegate=yes uxc "
                      "start box` gives it one"),
            std::string::npos)
      << Describe(result);
}

// The container's scope belongs to the user's manager: when the user's last
// session ends, it stops with it, and no cgroup of uxc's is left.
TEST(SystemdHost, LoggingOutLeavesNoCgroupsBehind) {
  VmOptions options = Systemd();
  options.install_uxc = true;
  options.as_root = true;
  CommandResult result = RunInVm(options, AsTesterWithBox("uxc start -P $HOME/containers box") + R"sh(
    echo "started: $?"
    # Under user.slice: the harness's own unit is uxc-vm-job.service.
    echo "cgroups while running: $(find /sys/fs/cgroup/user.slice -type d -name 'uxc*' | wc -l)"
    loginctl terminate-user tester
    i=0
    while [ -d /sys/fs/cgroup/user.slice/user-1000.slice ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
    echo "cgroups left: $(find /sys/fs/cgroup/user.slice -type d -name 'uxc*' | wc -l)"
    find /sys/fs/cgroup/user.slice -type d -name 'uxc*' -printf 'left: %p %u\n'
    echo "processes left: $(pgrep -u tester -c || true)"
    echo "sleepers left: $(pgrep -c -x sleep || true)"
  )sh");
  ASSERT_EQ(result.exit_code, 0) << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "started: "), "0") << Describe(result);
  EXPECT_NE(LineAfter(result.out, "cgroups while running: "), "0") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "cgroups left: "), "0") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "processes left: "), "0") << Describe(result);
  EXPECT_EQ(LineAfter(result.out, "sleepers left: "), "0") << Describe(result);
}

}  // namespace
}  // namespace uxc::testing

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

}  // namespace
}  // namespace uxc::testing

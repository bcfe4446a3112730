// The lxc-* flags users type, on real busybox containers run by a real
// unprivileged user: ls's FILTER, -1, --active/--running/--stopped, -F, -g
// and its JSON; info -s/-p/-i/-H; stop -W and --nokill; destroy -f.
#include <unistd.h>

#include <fstream>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class LxcFlagsTest : public LifecycleTest {
 protected:
  // A second container, in the group "web", besides the fixture's "bb".
  void MakeWebContainer() {
    auto made = Uxc("create", {"web1", "-t", "busybox"});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    auto group = RunAs(user_, {"sh", "-c", "echo 'lxc.group = web,front' >> \"$1\"", "sh", path_ + "/web1/config"});
    ASSERT_EQ(group.exit_code, 0) << group.err;
  }

  // Polls `uxc ls` until NAME is STOPPED, for at most 30 s.
  bool WaitUntilStopped(const std::string& name) {
    for (int i = 0; i < 60; ++i) {
      if (LsState(name) == "STOPPED") return true;
      usleep(500 * 1000);
    }
    return false;
  }
};

TEST_F(LxcFlagsTest, LsFiltersAndColumnsAsLxcLs) {
  MakeWebContainer();
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  EXPECT_EQ(Uxc("ls", {"-1"}).out, "bb\nweb1\n");
  EXPECT_EQ(Uxc("ls", {"-1", "^w"}).out, "web1\n");
  EXPECT_EQ(Uxc("ls", {"-1", "--running"}).out, "bb\n");
  EXPECT_EQ(Uxc("ls", {"-1", "--active"}).out, "bb\n");
  EXPECT_EQ(Uxc("ls", {"-1", "--stopped"}).out, "web1\n");
  EXPECT_EQ(Uxc("ls", {"-1", "--running", "--stopped"}).out, "bb\nweb1\n");
  EXPECT_EQ(Uxc("ls", {"-1", "--frozen"}).out, "");
  EXPECT_EQ(Uxc("ls", {"-1", "-g", "front"}).out, "web1\n");
  EXPECT_EQ(Uxc("ls", {"-1", "-g", "db,web"}).out, "web1\n");
  auto fancy = Uxc("ls", {"-F", "name,pid,groups"});
  ASSERT_EQ(fancy.exit_code, 0) << fancy.err;
  std::string pid = std::to_string(InitPid(name_));
  EXPECT_TRUE(Contains(fancy.out, "NAME PID")) << fancy.out;
  EXPECT_TRUE(Contains(fancy.out, "\nbb   " + pid)) << fancy.out;
  EXPECT_TRUE(Contains(fancy.out, "web,front\n")) << fancy.out;
  auto bad_regex = Uxc("ls", {"web("});
  EXPECT_EQ(bad_regex.exit_code, 2) << bad_regex.err;
  EXPECT_EQ(bad_regex.err.rfind("uxc ls: FILTER \"web(\" is not a regular expression", 0), 0u) << bad_regex.err;
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
}

TEST_F(LxcFlagsTest, LsJsonCarriesPidConfigAndCreated) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  auto json = Uxc("ls", {"--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  std::string pid = std::to_string(InitPid(name_));
  EXPECT_TRUE(Contains(json.out, "\"state\": \"RUNNING\", \"pid\": " + pid + ",")) << json.out;
  EXPECT_TRUE(Contains(json.out, "\"config\": \"" + path_ + "/bb/config\"")) << json.out;
  EXPECT_TRUE(Contains(json.out, "\"created\": \"20")) << json.out;
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  EXPECT_TRUE(Contains(Uxc("ls", {"--format", "json"}).out, "\"pid\": null")) << "a stopped container has no pid";
  ExpectNothingLeft(name_);
}

TEST_F(LxcFlagsTest, InfoShowsOnlyWhatSPAndISay) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  std::string pid = std::to_string(InitPid(name_));
  EXPECT_EQ(Uxc("info", {name_, "-s"}).out, "State:          RUNNING\n");
  EXPECT_EQ(Uxc("info", {name_, "-p"}).out, "PID:            " + pid + "\n");
  EXPECT_EQ(Uxc("info", {name_, "-sp"}).out, "State:          RUNNING\nPID:            " + pid + "\n");
  auto ips = Uxc("info", {name_, "-i"});
  EXPECT_EQ(ips.exit_code, 0) << ips.err;
  EXPECT_FALSE(Contains(ips.out, "State:")) << ips.out;
  auto raw = Uxc("info", {name_, "-H"});
  EXPECT_TRUE(Contains(raw.out, "Memory use:")) << raw.out;
  EXPECT_FALSE(Contains(raw.out, "iB")) << "-H prints bytes: " << raw.out;
  EXPECT_EQ(Uxc("info", {name_, "--format", "table"}).exit_code, 0);
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
}

TEST_F(LxcFlagsTest, StopNoWaitReturnsAndTheContainerStillEnds) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  auto stopped = Uxc("stop", {name_, "-W"});
  ASSERT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_TRUE(WaitUntilStopped(name_));
  ExpectNothingLeft(name_);
}

TEST_F(LxcFlagsTest, StopNoKillLeavesAContainerThatIgnoresTheHaltRunning) {
  // SIGCONT halts nothing: without --nokill stop would kill after -t.
  ASSERT_EQ(Uxc("start", {name_, "-s", "lxc.signal.halt=SIGCONT"}).exit_code, 0);
  auto stopped = Uxc("stop", {name_, "-t", "1", "--nokill"});
  EXPECT_EQ(stopped.exit_code, 1) << stopped.err;
  EXPECT_TRUE(Contains(stopped.err, "did not halt within 1 s; left running (--nokill)")) << stopped.err;
  EXPECT_EQ(LsState(name_), "RUNNING");
  EXPECT_EQ(Uxc("stop", {name_, "-k", "--nokill"}).exit_code, 2);
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
}

TEST_F(LxcFlagsTest, DestroyForceStopsARunningContainerFirst) {
  ASSERT_EQ(Uxc("start", {name_}).exit_code, 0);
  auto refused = Uxc("destroy", {name_});
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_EQ(LsState(name_), "RUNNING");
  auto forced = Uxc("destroy", {name_, "-f"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(access((path_ + "/" + name_).c_str(), F_OK), -1) << "destroy -f left the container";
  EXPECT_EQ(LsState(name_), "");
  ExpectNothingLeft(name_);
}

TEST_F(LxcFlagsTest, CreateStartsTheConfigFromDashF) {
  std::string extra = scratch_ + "/extra.conf";
  std::ofstream(extra) << "lxc.group = fromfile\n";  // root's, mode 0644: the user reads it
  auto missing = Uxc("create", {"c2", "-t", "busybox", "-f", scratch_ + "/none.conf"});
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_TRUE(Contains(missing.err, "create -f: read " + scratch_ + "/none.conf")) << missing.err;
  auto made = Uxc("create", {"c2", "-t", "busybox", "-f", extra});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(Uxc("ls", {"-1", "-g", "fromfile"}).out, "c2\n");
}

}  // namespace
}  // namespace uxc::testing

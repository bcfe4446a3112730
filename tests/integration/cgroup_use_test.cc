// The container's own cgroup in use on this hybrid host (cgroup2 at
// /sys/fs/cgroup/unified, hugetlb its one controller): freeze and unfreeze
// through cgroup.freeze, FROZEN in ls, info and wait, a stop that leaves the
// payload empty and removed however the container forks, info's figures
// from the cgroup, and lxc.mount.auto's cgroup:ro and cgroup:rw inside.
// The user starts uxc in a cgroup2 node delegated the way pam_uxc makes one
// (a node and a session leaf, both theirs).
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "kernel/cgroup.h"
#include "kernel/cgroup_layout.h"
#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The processes in a cgroup itself (cgroup.procs, one a line).
long ProcessesIn(const std::string& cgroup) {
  std::string procs = ReadAll(cgroup + "/cgroup.procs");
  return std::count(procs.begin(), procs.end(), '\n');
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// Polls `done` every 20 ms for at most `seconds`.
template <typename Done>
bool WaitFor(Done done, int seconds) {
  for (int i = 0; i < seconds * 50; ++i) {
    if (done()) return true;
    usleep(20 * 1000);
  }
  return done();
}

std::string Cgroup2Mount() {
  kernel::CgroupLayout layout =
      kernel::ParseCgroupLayout(ReadAll("/proc/self/mountinfo"), ReadAll("/proc/self/cgroup"));
  return layout.v2_mount ? layout.v2_mount->mount_point : "";
}

// Removes `path` and the cgroups below it, deepest first.
void RemoveTree(const std::string& path) {
  auto cgroup = kernel::Cgroup::Open(path);
  if (!cgroup.ok()) return;
  if (auto children = cgroup->Children(); children.ok()) {
    for (const std::string& child : *children) RemoveTree(path + "/" + child);
  }
  rmdir(path.c_str());
}

// A cgroup2 node delegated to `user` as pam_uxc makes one: the node and its
// leaf "session-1", each with the files /sys/kernel/cgroup/delegate lists,
// theirs. This test process moves into the leaf, so that what it runs as
// the user starts there, and moves back at the end.
class DelegatedNode {
 public:
  explicit DelegatedNode(const HostUser& user) {
    mount_ = Cgroup2Mount();
    own_ = ReadAll("/proc/self/cgroup");
    own_ = own_.substr(own_.find("0::") + 3);
    own_ = own_.substr(0, own_.find('\n'));
    path_ = mount_ + "/uxct-cgroupuse-" + std::to_string(getpid());
    Status made = Make(user);
    EXPECT_TRUE(made.ok()) << made.error().ToString();
  }

  ~DelegatedNode() {
    if (auto back = kernel::Cgroup::Open(mount_ + own_); back.ok()) (void)back->AddProcess(getpid());
    if (auto node = kernel::Cgroup::Open(path_); node.ok()) {
      (void)node->Kill();
      (void)node->WaitUntilEmpty(10000);
    }
    RemoveTree(path_);
  }

  const std::string& path() const { return path_; }

 private:
  Status Make(const HostUser& user) {
    UXC_ASSIGN_OR_RETURN(kernel::Cgroup root, kernel::Cgroup::Open(mount_));
    UXC_ASSIGN_OR_RETURN(kernel::Cgroup node, root.CreateChild(path_.substr(path_.rfind('/') + 1)));
    UXC_ASSIGN_OR_RETURN(kernel::Cgroup leaf, node.CreateChild("session-1"));
    UXC_RETURN_IF_ERROR(node.HandOver(user.uid, user.gid, kernel::DelegatableFiles()));
    UXC_RETURN_IF_ERROR(leaf.HandOver(user.uid, user.gid, kernel::DelegatableFiles()));
    return leaf.AddProcess(getpid());
  }

  std::string mount_;
  std::string own_;  // this process's cgroup v2, from the mount's root
  std::string path_;
};

class CgroupUseTest : public LifecycleTest {
 protected:
  std::string Payload() const { return node_->path() + "/uxc.payload." + name_; }

  // A file the container's init wrote, read through its root.
  std::string InContainer(const std::string& file) {
    return ReadAll("/proc/" + std::to_string(InitPid(name_)) + "/root" + file);
  }

  // The count that the counting init below has written.
  long Count() { return std::atol(InContainer("/tmp/count").c_str()); }

  void StartCounting() {
    auto started = Uxc("start", {name_, "--", "/bin/sh", "-c",
                                 "i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 0.02; done"});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    ASSERT_TRUE(WaitFor([this] { return Count() > 0; }, 10)) << "the init never counted";
  }

  void MakeNode() { node_ = std::make_unique<DelegatedNode>(user_); }

  void TearDown() override {
    LifecycleTest::TearDown();
    node_.reset();
  }

  std::unique_ptr<DelegatedNode> node_;
};

TEST_F(CgroupUseTest, FreezeStopsEveryProcessAndUnfreezeResumesThem) {
  MakeNode();
  StartCounting();
  ASSERT_TRUE(Exists(Payload())) << "the container has no payload cgroup " << Payload();
  auto frozen = Uxc("freeze", {"-n", name_});
  ASSERT_EQ(frozen.exit_code, 0) << frozen.err;
  EXPECT_TRUE(Contains(ReadAll(Payload() + "/cgroup.events"), "frozen 1"));
  EXPECT_EQ(LsState(name_), "FROZEN");
  auto info = Uxc("info", {name_, "-s"});
  EXPECT_EQ(info.out, "State:          FROZEN\n") << info.err;
  EXPECT_EQ(Uxc("wait", {name_, "-s", "FROZEN", "-t", "5"}).exit_code, 0);
  long before = Count();
  usleep(300 * 1000);  // fifteen of the init's rounds, had it run
  EXPECT_EQ(Count(), before) << "a frozen container went on counting";

  auto thawed = Uxc("unfreeze", {name_});
  ASSERT_EQ(thawed.exit_code, 0) << thawed.err;
  EXPECT_TRUE(WaitFor([&] { return Count() > before; }, 10)) << "the thawed container does not count";
  EXPECT_EQ(LsState(name_), "RUNNING");
  EXPECT_TRUE(Contains(ReadAll(Payload() + "/cgroup.events"), "frozen 0"));

  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
  EXPECT_FALSE(Exists(Payload()));
}

// A frozen init cannot act on its halt signal: stop thaws it, as lxc-stop
// does, and busybox's init halts cleanly instead of being killed.
TEST_F(CgroupUseTest, StopThawsAFrozenContainerForItsHaltSignal) {
  MakeNode();
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  ASSERT_EQ(Uxc("freeze", {name_}).exit_code, 0);
  ASSERT_EQ(LsState(name_), "FROZEN");
  auto stopped = Uxc("stop", {name_, "-t", "10"});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_FALSE(Contains(stopped.err, "killing it")) << stopped.err;
  ExpectNothingLeft(name_);
  EXPECT_FALSE(Exists(Payload()));
}

// Orphans reparent to the init, a new one every 10 ms: the kill reaches
// every one of them, and the payload goes with the container.
TEST_F(CgroupUseTest, StopOfAForkingContainerLeavesThePayloadEmptyAndRemoved) {
  MakeNode();
  for (const std::vector<std::string>& stop : {std::vector<std::string>{name_, "-k"},
                                               std::vector<std::string>{name_, "-t", "1"}}) {
    auto started = Uxc("start", {name_, "-s", "lxc.signal.halt=SIGCONT", "--", "/bin/sh", "-c",
                                 "while :; do (sleep 1000 &); sleep 0.01; done"});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    ASSERT_TRUE(WaitFor([&] { return ProcessesIn(Payload()) > 10; }, 20))
        << "the container never forked in " << Payload();
    auto stopped = Uxc("stop", stop);
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
    EXPECT_FALSE(Exists(Payload())) << "the payload is left after stop " << stop.back();
    ExpectNothingLeft(name_);
  }
}

TEST_F(CgroupUseTest, FreezeWithoutACgroupOfItsOwnSaysWhyAndTheFix) {
  auto started = Uxc("start", {name_, "--", "sleep", "1000"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  for (const char* command : {"freeze", "unfreeze"}) {
    auto refused = Uxc(command, {name_});
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_TRUE(Contains(refused.err, "container '" + name_ + "' has no cgroup of its own")) << refused.err;
    EXPECT_TRUE(Contains(refused.err, "`systemd-run --user --scope -p Delegate=yes uxc start " + name_ + "`"))
        << refused.err;
  }
  EXPECT_EQ(LsState(name_), "RUNNING");
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
}

// cpu.stat is in every cgroup; memory and pids are bound to cgroup v1 here,
// so the cgroup says nothing of them and info's figures come from /proc.
TEST_F(CgroupUseTest, InfoShowsTheCgroupsFiguresAndNothingItDoesNotHave) {
  MakeNode();
  StartCounting();
  auto json = Uxc("info", {name_, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_TRUE(Contains(json.out, "\"state\": \"RUNNING\"")) << json.out;
  EXPECT_TRUE(Contains(json.out, "\"cgroup\": {\"path\": \"" + Payload() + "\", \"frozen\": false, "
                                 "\"cpu_usage_usec\": "))
      << json.out;
  for (const char* absent : {"memory_current", "memory_peak", "io_read_bytes", "pids_current"}) {
    EXPECT_FALSE(Contains(json.out, absent)) << absent << " in " << json.out;
  }
  auto text = Uxc("info", {name_});
  EXPECT_TRUE(Contains(text.out, "CPU use:")) << text.out;
  EXPECT_FALSE(Contains(text.out, "BlkIO use:")) << text.out;
  ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
  ExpectNothingLeft(name_);
}

// The container's cgroup namespace is rooted at its payload: it sees itself
// at / and, with cgroup:rw, its root makes sub-cgroups there; cgroup:ro
// shows the same tree read-only.
TEST_F(CgroupUseTest, MountAutoCgroupShowsThePayloadReadOnlyOrWritable) {
  MakeNode();
  const std::string probe =
      "sed -n 's/^0:://p' /proc/self/cgroup > /tmp/cgroup; ls /sys/fs/cgroup > /tmp/files; "
      "if mkdir /sys/fs/cgroup/sub 2> /tmp/mkdir; then echo made > /tmp/mkdir; fi; exec sleep 1000";
  for (const std::string mode : {"ro", "rw"}) {
    auto started = Uxc("start", {name_, "-s", "lxc.mount.auto=cgroup:" + mode, "--", "/bin/sh", "-c", probe});
    ASSERT_EQ(started.exit_code, 0) << started.err;
    ASSERT_TRUE(WaitFor([this] { return !InContainer("/tmp/mkdir").empty(); }, 10)) << "the probe never ran";
    EXPECT_EQ(InContainer("/tmp/cgroup"), "/\n") << mode;
    EXPECT_TRUE(Contains(InContainer("/tmp/files"), "cgroup.procs\n")) << mode << ": " << InContainer("/tmp/files");
    if (mode == "ro") {
      EXPECT_TRUE(Contains(InContainer("/tmp/mkdir"), "Read-only file system")) << InContainer("/tmp/mkdir");
      EXPECT_FALSE(Exists(Payload() + "/sub"));
    } else {
      EXPECT_EQ(InContainer("/tmp/mkdir"), "made\n");
      EXPECT_TRUE(Exists(Payload() + "/sub")) << "the container's sub-cgroup is not below its payload";
    }
    ASSERT_EQ(Uxc("stop", {name_, "-k"}).exit_code, 0);
    ExpectNothingLeft(name_);
    EXPECT_FALSE(Exists(Payload()));
  }
}

}  // namespace
}  // namespace uxc::testing

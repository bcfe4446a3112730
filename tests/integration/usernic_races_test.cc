// uxc-user-nic under concurrency and faults: many helpers at once against
// one quota, a database with stale records among live ones, and a helper
// killed (kill -9) at each step of a create. The same parallel test runs
// against LXC's lxc-user-nic, for the figures side by side.
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "tests/integration/usernic_fixture.h"

namespace uxc::testing {
namespace {

using Kind = NetnsProcess::Kind;

constexpr char kLxcUserNic[] = "/usr/libexec/lxc/lxc-user-nic";

std::string Line(const HostUser& user, int count) {
  return user.name + " veth " + std::string(kBridge0) + " " + std::to_string(count) + "\n";
}

// `count` helpers as `user` in the test's namespace, each `argv` with "%i"
// replaced by its number, all released at once; how many exited 0.
int RunAtOnce(const HostUser& user, const std::string& binary, const std::vector<std::string>& argv, int count) {
  int gate[2];
  if (pipe2(gate, O_CLOEXEC) != 0) return -1;
  std::vector<pid_t> children;
  for (int i = 0; i < count; ++i) {
    pid_t pid = fork();
    if (pid == 0) {
      EnterTestNetns();
      // As `ip netns exec` does: a /sys of this namespace, where
      // lxc-user-nic looks for devices (/sys/class/net/NAME).
      if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0 ||
          umount2("/sys", MNT_DETACH) != 0 || mount("sysfs", "/sys", "sysfs", 0, nullptr) != 0) {
        _exit(118);
      }
      BecomeUser(user);
      close(gate[1]);
      char byte;
      if (read(gate[0], &byte, 1) != 0) _exit(121);  // the gate opens when its write end closes
      int null = open("/dev/null", O_RDWR);
      dup2(null, 1);
      dup2(null, 2);
      std::vector<std::string> args = {binary};
      for (std::string arg : argv) {
        if (size_t at = arg.find("%i"); at != std::string::npos) arg.replace(at, 2, std::to_string(i));
        args.push_back(arg);
      }
      std::vector<char*> pointers;
      for (std::string& arg : args) pointers.push_back(arg.data());
      pointers.push_back(nullptr);
      char* env[] = {const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
      execve(binary.c_str(), pointers.data(), env);
      _exit(127);
    }
    children.push_back(pid);
  }
  close(gate[0]);
  close(gate[1]);
  int succeeded = 0;
  time_t deadline = time(nullptr) + 120;
  for (pid_t child : children) {
    int status = 0;
    while (waitpid(child, &status, WNOHANG) == 0) {
      if (time(nullptr) > deadline) kill(child, SIGKILL);
      usleep(10000);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++succeeded;
  }
  return succeeded;
}

std::vector<std::string> CreateArgs(const NetnsProcess& target) {
  return {"create", "/unused", "c1", std::to_string(target.pid()), "veth", kBridge0, "n%i"};
}

// Live records of the user's plus a stale record (a device long gone)
// before each of them, as research/lxc.md §9 measured the bypass with.
std::vector<config::NicRecord> Interleaved(const HostUser& user, const std::vector<config::NicRecord>& live) {
  std::vector<config::NicRecord> records;
  for (size_t i = 0; i < live.size(); ++i) {
    records.push_back({user.name, "veth", kBridge0, "veth" + std::to_string(user.uid) + "_zz" + std::to_string(i),
                       static_cast<int32_t>(900000 + i), user.uid});
    records.push_back(live[i]);
  }
  return records;
}

class UsernicRacesTest : public UsernicTest {
 protected:
  // The helper stops itself at `step` (the root-only fault file), and the
  // test waits for it to stop, 10 s at most.
  pid_t StartStoppedAt(const std::string& step, const NetnsProcess& target) {
    std::ofstream("/run/uxc/fault-stop") << step << "\n";
    chmod("/run/uxc/fault-stop", 0600);
    pid_t pid = fork();
    if (pid == 0) {
      EnterTestNetns();
      BecomeUser(a_);
      std::string binary = InstalledBinary("uxc-user-nic");
      std::string pid_text = std::to_string(target.pid());
      char* argv[] = {binary.data(), const_cast<char*>("create"), const_cast<char*>("/unused"),
                      const_cast<char*>("c1"), pid_text.data(), const_cast<char*>("veth"),
                      const_cast<char*>(kBridge0), const_cast<char*>("killed0"), nullptr};
      char* env[] = {nullptr};
      execve(binary.c_str(), argv, env);
      _exit(127);
    }
    int status = 0;
    time_t deadline = time(nullptr) + 10;
    while (waitpid(pid, &status, WUNTRACED | WNOHANG) == 0 && time(nullptr) <= deadline) usleep(10000);
    EXPECT_TRUE(WIFSTOPPED(status)) << "the helper did not stop at " << step;
    unlink("/run/uxc/fault-stop");
    return pid;
  }
};

TEST_F(UsernicRacesTest, FiftyParallelCreatesAgainstAQuotaOfTenMakeExactlyTen) {
  SetUsernet(Line(a_, 10));
  auto target = NetnsProcess::Start(a_, Kind::kOwn);
  EXPECT_EQ(RunAtOnce(a_, InstalledBinary("uxc-user-nic"), CreateArgs(*target), 50), 10);
  std::vector<config::NicRecord> records = DbRecords();
  EXPECT_EQ(records.size(), 10u);
  std::set<std::string> recorded;
  for (const config::NicRecord& record : records) {
    EXPECT_FALSE(record.pending());
    EXPECT_TRUE(HostLinkExists(record.host_nic)) << record.host_nic;
    recorded.insert(record.host_nic);
  }
  EXPECT_EQ(recorded.size(), 10u);
  EXPECT_EQ(HostNicsOf(a_).size(), 10u) << "a device exists that the database does not hold";
}

TEST_F(UsernicRacesTest, StaleRecordsAmongLiveOnesLoseNoLiveRecordUnderParallelCreates) {
  SetUsernet(Line(a_, 10));
  auto target = NetnsProcess::Start(a_, Kind::kOwn);
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Create(a_, *target, kBridge0, "live" + std::to_string(i)).exit_code, 0);
  }
  std::vector<config::NicRecord> live = DbRecords();
  ASSERT_EQ(live.size(), 5u);
  WriteDb(Interleaved(a_, live));
  EXPECT_EQ(RunAtOnce(a_, InstalledBinary("uxc-user-nic"), CreateArgs(*target), 20), 5);
  std::vector<config::NicRecord> records = DbRecords();
  EXPECT_EQ(records.size(), 10u);
  for (const config::NicRecord& record : live) {
    EXPECT_NE(std::find(records.begin(), records.end(), record), records.end()) << record.host_nic << " was lost";
  }
  EXPECT_EQ(HostNicsOf(a_).size(), 10u);
}

// kill -9 at each step of a create: the database parses and holds what it
// held; the next helper removes whatever device the killed one made.
TEST_F(UsernicRacesTest, KillNineMidCreateLeavesTheDatabaseWholeAndNoDeviceOrphaned) {
  SetUsernet(Line(a_, 2));
  auto target = NetnsProcess::Start(a_, Kind::kOwn);
  auto kept = Create(a_, *target, kBridge0, "kept0");
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  std::vector<config::NicRecord> before = DbRecords();
  for (const char* step : {"pending", "created", "before-rename"}) {
    SCOPED_TRACE(step);
    pid_t helper = StartStoppedAt(step, *target);
    if (std::string(step) == "created") {
      EXPECT_EQ(HostNicsOf(a_).size(), 2u) << "the fault hook stopped the helper before the create";
    }
    kill(helper, SIGKILL);
    waitpid(helper, nullptr, 0);
    std::vector<config::NicRecord> after = DbRecords();  // parses, or the test fails
    EXPECT_EQ(std::vector<config::NicRecord>(after.begin(), after.begin() + std::min<size_t>(1, after.size())), before);
    auto list = Nic(a_, {"list"});
    EXPECT_EQ(list.exit_code, 0) << list.err;
    EXPECT_EQ(DbRecords(), before);
    EXPECT_EQ(HostNicsOf(a_), std::vector<std::string>{before[0].host_nic}) << "a device was orphaned";
    EXPECT_EQ(target->Links().find("killed0"), std::string::npos);
  }
  // And the quota is whole: the second nic can still be made.
  EXPECT_EQ(Create(a_, *target, kBridge0, "after0").exit_code, 0);
}

// LXC's lxc-user-nic against the same two parallel tests; the figures go to
// the test's XML output. Ours must make exactly the quota in both.
TEST_F(UsernicRacesTest, LxcUserNicSideBySide) {
  ASSERT_EQ(access(kLxcUserNic, X_OK), 0) << "Debian's lxc is not installed";
  mkdir("/etc/lxc", 0755);
  ScopedHostFile lxc_usernet("/etc/lxc/lxc-usernet", Line(a_, 10));
  SetUsernet(Line(a_, 10));
  std::string figures;
  for (bool stale : {false, true}) {
    for (bool lxc : {false, true}) {
      auto target = NetnsProcess::Start(a_, Kind::kOwn);
      std::string binary = lxc ? kLxcUserNic : InstalledBinary("uxc-user-nic");
      const char* db = lxc ? "/run/lxc/nics" : config::kNicDbPath;
      unlink(db);
      int preset = 0;
      if (stale) {
        for (; preset < 5; ++preset) {
          auto made = Nic(a_, {"create", "/unused", "c1", std::to_string(target->pid()), "veth", kBridge0,
                               "live" + std::to_string(preset)});
          ASSERT_EQ(made.exit_code, 0) << made.err;
        }
        std::vector<config::NicRecord> interleaved = Interleaved(a_, DbRecords());
        if (lxc) {
          // LXC's own four-field format, the same records.
          std::string text;
          for (const config::NicRecord& r : interleaved) text += r.owner + " veth " + r.bridge + " " + r.host_nic + "\n";
          mkdir("/run/lxc", 0755);
          std::ofstream(db, std::ios::trunc) << text;
          unlink(config::kNicDbPath);
        } else {
          WriteDb(interleaved);
        }
      }
      int made = RunAtOnce(a_, binary, CreateArgs(*target), stale ? 20 : 50);
      size_t devices = HostNicsOf(a_).size();
      figures += std::string(lxc ? "lxc-user-nic" : "uxc-user-nic") + (stale ? " stale+5 live, 20 parallel: " : " clean, 50 parallel: ") +
                 std::to_string(made) + " made, " + std::to_string(devices) + " devices of quota 10; ";
      if (!lxc) {
        EXPECT_EQ(made + preset, 10);
        EXPECT_EQ(devices, 10u);
      }
      std::vector<std::string> held = HostNicsOf(a_);
      target->Stop(held);
      unlink(db);
    }
  }
  RecordProperty("figures", figures);
  std::printf("%s\n", figures.c_str());
}

}  // namespace
}  // namespace uxc::testing

#include "tests/integration/lifecycle_fixture.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace uxc::testing {
namespace {

constexpr uid_t kSubidStart = 600000;
constexpr uid_t kSubidCount = 65536;

std::string FieldOf(const std::string& state, const std::string& key) {
  std::istringstream lines(state);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with(key + "=")) return line.substr(key.size() + 1);
  }
  return "";
}

uid_t RealUid(const std::string& pid) {
  std::ifstream status("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("Uid:")) return static_cast<uid_t>(std::stoul(line.substr(4)));
  }
  return static_cast<uid_t>(-1);
}

}  // namespace

void LifecycleTest::SetUp() {
  user_ = EnsureUser("uxct-lifecycle");
  std::string range = user_.name + ":" + std::to_string(kSubidStart) + ":" + std::to_string(kSubidCount) + "\n";
  subuid_ = std::make_unique<ScopedHostFile>("/etc/subuid", range);
  subgid_ = std::make_unique<ScopedHostFile>("/etc/subgid", range);
  std::string pattern = "/var/tmp/uxc-lifecycle-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  scratch_ = pattern;
  ASSERT_EQ(chmod(scratch_.c_str(), 0755), 0);
  path_ = scratch_ + "/containers";
  ASSERT_EQ(mkdir(path_.c_str(), 0755), 0);
  ASSERT_EQ(chown(path_.c_str(), user_.uid, user_.gid), 0);
  auto made = RunAs(user_, {InstalledBinary("uxc"), "create", name_, "-P", path_, "-t", "busybox"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
}

void LifecycleTest::TearDown() {
  // Whatever a failed test left running goes, then the files.
  for (pid_t pid : ProcessesOfUser()) kill(pid, SIGKILL);
  uxc::testing::Run({"rm", "-rf", RuntimeBase()});
  if (!scratch_.empty()) uxc::testing::Run({"rm", "-rf", "--one-file-system", scratch_});
  subgid_.reset();
  subuid_.reset();
}

CommandResult LifecycleTest::Uxc(const std::string& command, const std::vector<std::string>& args,
                                 const RunOptions& options) {
  std::vector<std::string> argv = {InstalledBinary("uxc"), command, "-P", path_};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunAs(user_, argv, options);
}

std::string LifecycleTest::LsState(const std::string& name) {
  auto listed = Uxc("ls", {});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  std::istringstream lines(listed.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string first, state;
    fields >> first >> state;
    if (first == name) return state;
  }
  return "";
}

pid_t LifecycleTest::InitPid(const std::string& name) {
  std::string value = FieldOf(ReadFileOrDie(RuntimeBase() + "/" + name + "/state"), "init_pid");
  return value.empty() ? 0 : std::stoi(value);
}

pid_t LifecycleTest::MonitorPid(const std::string& name) {
  std::string value = FieldOf(ReadFileOrDie(RuntimeBase() + "/" + name + "/state"), "monitor_pid");
  return value.empty() ? 0 : std::stoi(value);
}

std::vector<pid_t> LifecycleTest::ProcessesOfUser() const {
  std::vector<pid_t> pids;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return pids;
  while (dirent* entry = readdir(proc)) {
    std::string pid = entry->d_name;
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    uid_t uid = RealUid(pid);
    if (uid == user_.uid || (uid >= kSubidStart && uid < kSubidStart + kSubidCount)) pids.push_back(std::stoi(pid));
  }
  closedir(proc);
  return pids;
}

void LifecycleTest::ExpectNothingLeft(const std::string& name) {
  // The monitor exits right after the init; allow it a bounded moment.
  for (int i = 0; i < 100 && !ProcessesOfUser().empty(); ++i) usleep(50 * 1000);
  std::vector<pid_t> left = ProcessesOfUser();
  std::string listing;
  for (pid_t pid : left) {
    std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
    std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    for (char& c : text) c = c == '\0' ? ' ' : c;
    listing += std::to_string(pid) + ": " + text + "\n";
  }
  EXPECT_TRUE(left.empty()) << "processes left behind:\n" << listing;
  struct stat st;
  EXPECT_NE(lstat((RuntimeBase() + "/" + name + "/state").c_str(), &st), 0) << "state file left behind";
  EXPECT_NE(lstat((RuntimeBase() + "/" + name + "/control").c_str(), &st), 0) << "socket left behind";
  EXPECT_NE(lstat((RuntimeBase() + "/" + name).c_str(), &st), 0) << "runtime dir left behind";
}

void LifecycleTest::ExpectInitIsPid1(const std::string& name) {
  auto ps = Uxc("attach", {name, "--", "ps"});
  ASSERT_EQ(ps.exit_code, 0) << ps.err;
  bool init_is_pid1 = false;
  std::istringstream lines(ps.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string pid;
    fields >> pid;
    if (pid == "1" && line.find("init") != std::string::npos) init_is_pid1 = true;
  }
  EXPECT_TRUE(init_is_pid1) << ps.out;
}

CommandResult LifecycleTest::CreateDebianGuest(const std::string& name) {
  const std::string cache = "/var/cache/uxc-test/debian";
  EXPECT_EQ(uxc::testing::Run({"mkdir", "-p", cache}).exit_code, 0);
  // The cache survives runs; the test user's uid may not (a new machine).
  EXPECT_EQ(uxc::testing::Run({"chown", "-R", user_.name + ":", cache}).exit_code, 0);
  RunOptions slow;
  slow.timeout_seconds = 900;
  return Uxc("create", {name, "-t", "debian", "--", "-r", "bookworm", "--init", "sysvinit", "--packages",
                        "procps,cron", "--cache-dir", cache},
             slow);
}

}  // namespace uxc::testing

#include "tests/integration/usernic_fixture.h"

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace uxc::testing {
namespace {

[[noreturn]] void Fatal(const std::string& what) {
  std::fprintf(stderr, "usernic fixture: %s: %s\n", what.c_str(), std::strerror(errno));
  std::abort();
}

// As root, in the child: become `user`, keeping CAP_SYS_ADMIN just long
// enough to join the namespace of `netns` (setns(2) needs it), then none.
void JoinAsUser(const HostUser& user, int netns) {
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) _exit(121);
  BecomeUser(user);
  cap_t caps = cap_get_proc();
  cap_value_t admin = CAP_SYS_ADMIN;
  if (caps == nullptr || cap_set_flag(caps, CAP_EFFECTIVE, 1, &admin, CAP_SET) != 0 || cap_set_proc(caps) != 0) {
    _exit(122);
  }
  if (setns(netns, CLONE_NEWNET) != 0) _exit(123);
  cap_clear(caps);
  if (cap_set_proc(caps) != 0) _exit(124);
  cap_free(caps);
}

bool Waited(time_t deadline) {
  if (time(nullptr) > deadline) return false;
  usleep(20000);
  return true;
}

}  // namespace

std::unique_ptr<NetnsProcess> NetnsProcess::Start(const HostUser& user, Kind kind, const NetnsProcess* other) {
  std::unique_ptr<NetnsProcess> process(new NetnsProcess());
  int other_netns = -1;
  if (kind == Kind::kJoined) {
    other_netns = open(other->NetnsPath().c_str(), O_RDONLY | O_CLOEXEC);
    if (other_netns < 0) Fatal("open " + other->NetnsPath());
  }
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) Fatal("pipe2");
  pid_t pid = fork();
  if (pid < 0) Fatal("fork");
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (kind == Kind::kOwn) {
      BecomeUser(user);
      if (unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) _exit(125);
    } else if (kind == Kind::kRoot) {
      if (unshare(CLONE_NEWNET) != 0) _exit(125);
    } else {
      JoinAsUser(user, other_netns);
    }
    // A credential change made it non-dumpable; a user's own process that
    // exec'd a program as itself is dumpable.
    if (kind != Kind::kRoot && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) _exit(126);
    if (write(ready[1], "r", 1) != 1) _exit(127);
    while (true) pause();
  }
  if (other_netns >= 0) close(other_netns);
  close(ready[1]);
  char byte;
  ssize_t got = read(ready[0], &byte, 1);
  close(ready[0]);
  process->pid_ = pid;
  if (got != 1) {
    int status = 0;
    waitpid(pid, &status, 0);
    process->pid_ = -1;
    errno = 0;
    Fatal("the namespace process did not start: exit status " + std::to_string(WEXITSTATUS(status)));
  }
  return process;
}

NetnsProcess::~NetnsProcess() { Stop(); }

std::string NetnsProcess::Links() const {
  return uxc::testing::Run({"/usr/bin/nsenter", "--net=" + NetnsPath(), "/usr/sbin/ip", "-o", "link"}).out;
}

void NetnsProcess::Stop(const std::vector<std::string>& host_nics) {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
  // The kernel destroys a namespace's devices in the background after its
  // last process exits.
  time_t deadline = time(nullptr) + 10;
  for (const std::string& nic : host_nics) {
    while (uxc::testing::Run({"/usr/sbin/ip", "-n", kTestNetns, "link", "show", nic}).exit_code == 0 && Waited(deadline)) {
    }
  }
}

NicOutput ParseNicOutput(const std::string& out) {
  NicOutput parsed;
  std::string line = out;
  EXPECT_TRUE(!line.empty() && line.back() == '\n') << out;
  if (!line.empty() && line.back() == '\n') line.pop_back();
  std::vector<std::string> fields;
  std::stringstream stream(line);
  for (std::string field; std::getline(stream, field, ':');) fields.push_back(field);
  EXPECT_EQ(fields.size(), 4u) << out;
  if (fields.size() != 4) return parsed;
  parsed.container_nic = fields[0];
  parsed.container_index = std::atoi(fields[1].c_str());
  parsed.host_nic = fields[2];
  parsed.host_index = std::atoi(fields[3].c_str());
  EXPECT_GT(parsed.container_index, 0) << out;
  EXPECT_GT(parsed.host_index, 0) << out;
  return parsed;
}

void UsernicTest::SetUp() {
  a_ = EnsureUser("uxct-nic-a");
  b_ = EnsureUser("uxct-nic-b");
  uxc::testing::Run({"/usr/sbin/ip", "netns", "del", kTestNetns});
  ASSERT_EQ(uxc::testing::Run({"/usr/sbin/ip", "netns", "add", kTestNetns}).exit_code, 0);
  for (const char* bridge : {kBridge0, kBridge1}) {
    ASSERT_EQ(uxc::testing::Run({"/usr/sbin/ip", "-n", kTestNetns, "link", "add", bridge, "mtu", std::to_string(kBridgeMtu),
                   "type", "bridge"})
                  .exit_code,
              0);
    ASSERT_EQ(uxc::testing::Run({"/usr/sbin/ip", "-n", kTestNetns, "link", "set", bridge, "up"}).exit_code, 0);
  }
  mkdir("/etc/uxc", 0755);
  usernet_ = std::make_unique<ScopedHostFile>("/etc/uxc/usernet", "");
  mkdir("/run/uxc", 0755);
  unlink("/run/uxc/nics");
  unlink("/run/uxc/fault-stop");
}

void UsernicTest::TearDown() {
  uxc::testing::Run({"/usr/sbin/ip", "netns", "del", kTestNetns});
  unlink("/run/uxc/nics");
  unlink("/run/uxc/nics.new");
  unlink("/run/uxc/fault-stop");
  usernet_.reset();
}

void EnterTestNetns() {
  int netns = open((std::string("/run/netns/") + kTestNetns).c_str(), O_RDONLY | O_CLOEXEC);
  if (netns < 0 || setns(netns, CLONE_NEWNET) != 0) _exit(119);
  close(netns);
}

CommandResult UsernicTest::Nic(const HostUser& user, const std::vector<std::string>& args, HelperOptions options) {
  auto before = options.as_root_before_exec;
  options.as_root_before_exec = [before] {
    EnterTestNetns();
    if (before) before();
  };
  return RunHelperAs(user, InstalledBinary("uxc-user-nic"), args, options);
}

CommandResult UsernicTest::Create(const HostUser& user, const NetnsProcess& target, const std::string& bridge,
                                  const std::string& name) {
  std::vector<std::string> args = {"create", "/unused", "c1", std::to_string(target.pid()), "veth", bridge};
  if (!name.empty()) args.push_back(name);
  return Nic(user, args);
}

std::string UsernicTest::Ip(const std::string& args) {
  std::vector<std::string> argv = {"/usr/sbin/ip", "-n", kTestNetns};
  for (std::string& word : Words(args)) argv.push_back(std::move(word));
  CommandResult result = uxc::testing::Run(argv);
  EXPECT_EQ(result.exit_code, 0) << args << ": " << result.err;
  return result.out;
}

bool UsernicTest::HostLinkExists(const std::string& name) {
  return uxc::testing::Run({"/usr/sbin/ip", "-n", kTestNetns, "link", "show", name}).exit_code == 0;
}

std::vector<std::string> UsernicTest::HostNicsOf(const HostUser& user) {
  std::vector<std::string> names;
  std::stringstream lines(Ip("-o link"));
  std::string prefix = "veth" + std::to_string(user.uid) + "_";
  for (std::string line; std::getline(lines, line);) {
    size_t start = line.find(": ");
    if (start == std::string::npos) continue;
    std::string name = line.substr(start + 2, line.find_first_of("@:", start + 2) - start - 2);
    if (name.starts_with(prefix)) names.push_back(name);
  }
  return names;
}

std::vector<config::NicRecord> UsernicTest::DbRecords() {
  std::ifstream file(config::kNicDbPath);
  if (!file) return {};
  std::stringstream text;
  text << file.rdbuf();
  auto records = config::ParseNicDb(text.str(), config::kNicDbPath);
  EXPECT_TRUE(records.ok()) << records.error().ToString();
  return records.ok() ? *records : std::vector<config::NicRecord>{};
}

void UsernicTest::WriteDb(const std::vector<config::NicRecord>& records) {
  std::ofstream(config::kNicDbPath, std::ios::trunc) << config::SerializeNicDb(records);
  chmod(config::kNicDbPath, 0600);
}

}  // namespace uxc::testing

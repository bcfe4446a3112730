// Proves what the helper holds at the moment it writes: a seccomp filter that
// root installs before the setuid exec turns every write(2) of the helper into
// a user notification (seccomp_unotify(2)). The helper sleeps in the syscall
// while this test reads /proc/PID/status and /proc/PID/fd, then lets the write
// continue. No hook in the helper, nothing it could tell apart from a real run.
#include <poll.h>
#include <seccomp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <dirent.h>
#include <map>
#include <memory>
#include <thread>

#include "gtest/gtest.h"
#include "tests/integration/idmap_fixture.h"

namespace uxc::testing {
namespace {

struct WriteSeen {
  std::string file;                       // what the written fd points to
  std::string data;                       // the bytes, read from the helper's memory
  std::map<std::string, std::string> status;  // /proc/PID/status fields
  std::vector<std::string> open_fds;      // "N -> target" for every open fd
};

std::string Link(const std::string& path) {
  char target[4096];
  ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
  return n < 0 ? "?" : std::string(target, static_cast<size_t>(n));
}

std::map<std::string, std::string> StatusFields(pid_t pid) {
  std::map<std::string, std::string> fields;
  std::string text = ReadFileOrDie("/proc/" + std::to_string(pid) + "/status");
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    std::string line = text.substr(at, end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t value = line.find_first_not_of(" \t", colon + 1);
    fields[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
  }
  return fields;
}

std::string ReadRemote(pid_t pid, uint64_t address, uint64_t size) {
  std::string data(std::min<uint64_t>(size, 8192), '\0');
  FILE* mem = fopen(("/proc/" + std::to_string(pid) + "/mem").c_str(), "rb");
  if (mem == nullptr) return "?";
  if (fseeko(mem, static_cast<off_t>(address), SEEK_SET) != 0 || fread(data.data(), 1, data.size(), mem) != data.size()) {
    data = "?";
  }
  fclose(mem);
  return data;
}

// Receives the notification fd from the child, then answers every write.
class WriteSupervisor {
 public:
  WriteSupervisor() {
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sockets_), 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~WriteSupervisor() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    close(sockets_[0]);
    close(sockets_[1]);
  }

  // For HelperOptions::as_root_before_exec: runs in the child as root. Root
  // needs no no_new_privs for a filter, so the setuid exec still elevates.
  std::function<void()> InstallInChild() {
    int socket = sockets_[1];
    return [socket] {
      scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
      if (filter == nullptr || seccomp_attr_set(filter, SCMP_FLTATR_CTL_NNP, 0) != 0 ||
          seccomp_rule_add(filter, SCMP_ACT_NOTIFY, SCMP_SYS(write), 0) != 0 || seccomp_load(filter) != 0) {
        _exit(118);
      }
      int notify = seccomp_notify_fd(filter);
      char byte = 0;
      iovec io{&byte, 1};
      char control[CMSG_SPACE(sizeof(int))] = {};
      msghdr message{};
      message.msg_iov = &io;
      message.msg_iovlen = 1;
      message.msg_control = control;
      message.msg_controllen = sizeof control;
      cmsghdr* header = CMSG_FIRSTHDR(&message);
      header->cmsg_level = SOL_SOCKET;
      header->cmsg_type = SCM_RIGHTS;
      header->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(header), &notify, sizeof(int));
      if (sendmsg(socket, &message, 0) != 1) _exit(119);
      close(notify);
    };
  }

  std::vector<WriteSeen> Seen() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return seen_;
  }

 private:
  int ReceiveFd() {
    char byte;
    iovec io{&byte, 1};
    char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr message{};
    message.msg_iov = &io;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    while (!stop_) {
      pollfd polled{sockets_[0], POLLIN, 0};
      if (poll(&polled, 1, 100) <= 0) continue;
      if (recvmsg(sockets_[0], &message, 0) != 1) return -1;
      cmsghdr* header = CMSG_FIRSTHDR(&message);
      if (header == nullptr) return -1;
      int fd;
      std::memcpy(&fd, CMSG_DATA(header), sizeof fd);
      return fd;
    }
    return -1;
  }

  void Serve() {
    int notify = ReceiveFd();
    if (notify < 0) return;
    seccomp_notif* request = nullptr;
    seccomp_notif_resp* response = nullptr;
    if (seccomp_notify_alloc(&request, &response) != 0) return;
    while (true) {
      pollfd polled{notify, POLLIN, 0};
      int ready = poll(&polled, 1, 100);
      if (ready == 0 && stop_) break;
      if (ready <= 0) continue;
      if (polled.revents & POLLHUP) break;
      std::memset(request, 0, sizeof *request);
      if (seccomp_notify_receive(notify, request) != 0) continue;
      seen_.push_back(Observe(request));
      response->id = request->id;
      response->val = 0;
      response->error = 0;
      response->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
      seccomp_notify_respond(notify, response);
    }
    seccomp_notify_free(request, response);
    close(notify);
  }

  static WriteSeen Observe(const seccomp_notif* request) {
    pid_t pid = static_cast<pid_t>(request->pid);
    std::string proc = "/proc/" + std::to_string(pid);
    WriteSeen seen;
    seen.file = Link(proc + "/fd/" + std::to_string(request->data.args[0]));
    seen.data = ReadRemote(pid, request->data.args[1], request->data.args[2]);
    seen.status = StatusFields(pid);
    if (DIR* dir = opendir((proc + "/fd").c_str())) {
      while (dirent* entry = readdir(dir)) {
        if (entry->d_name[0] == '.') continue;
        seen.open_fds.push_back(std::string(entry->d_name) + " -> " + Link(proc + "/fd/" + entry->d_name));
      }
      closedir(dir);
    }
    return seen;
  }

  int sockets_[2] = {-1, -1};
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<WriteSeen> seen_;
};

class IdmapPrivilegeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    users_ = EnsureIdmapUsers();
    std::string text = DefaultSubidText(users_) + users_.a.name + ":0:1\n";
    subuid_ = std::make_unique<ScopedHostFile>("/etc/subuid", text);
    subgid_ = std::make_unique<ScopedHostFile>("/etc/subgid", text);
  }

  // Runs the helper under the supervisor and returns every write it made.
  std::vector<WriteSeen> Observe(const std::string& helper, const Target& target, std::vector<std::string> words,
                                 int* exit_code, int inherited_fds = 0) {
    WriteSupervisor supervisor;
    HelperOptions options;
    options.as_root_before_exec = supervisor.InstallInChild();
    options.inherited_fds = inherited_fds;
    words.insert(words.begin(), std::to_string(target.pid()));
    auto result = RunHelperAs(users_.a, helper, words, options);
    *exit_code = result.exit_code;
    return supervisor.Seen();
  }

  void ExpectRunsAsCaller(const WriteSeen& seen) {
    std::string uid = std::to_string(users_.a.uid);
    std::string gid = std::to_string(users_.a.gid);
    EXPECT_EQ(seen.status.at("Uid"), uid + "\t" + uid + "\t" + uid + "\t" + uid);
    EXPECT_EQ(seen.status.at("Gid"), gid + "\t" + gid + "\t" + gid + "\t" + gid);
    EXPECT_EQ(seen.status.at("CapInh"), "0000000000000000");
    EXPECT_EQ(seen.status.at("CapAmb"), "0000000000000000");
    EXPECT_EQ(seen.status.at("NoNewPrivs"), "1");
  }

  IdmapUsers users_;
  std::unique_ptr<ScopedHostFile> subuid_;
  std::unique_ptr<ScopedHostFile> subgid_;
};

constexpr char kSetuid[] = "0000000000000080";   // 1 << CAP_SETUID (7)
constexpr char kSetgid[] = "0000000000000040";   // 1 << CAP_SETGID (6)
constexpr char kSetuidSetfcap[] = "0000000080000080";  // + 1 << CAP_SETFCAP (31)
constexpr char kNone[] = "0000000000000000";
constexpr char kSetuidSetgid[] = "00000000000000c0";
constexpr char kSetuidSetgidSetfcap[] = "00000000800000c0";

TEST_F(IdmapPrivilegeTest, UidMapIsWrittenAsTheCallerWithOnlyCapSetuid) {
  auto target = Target::Start(users_.a);
  int exit_code = -1;
  auto writes = Observe(OurHelper(true), *target, {"0", std::to_string(kSubStartA), "65536"}, &exit_code, 300);
  ASSERT_EQ(exit_code, 0);
  ASSERT_EQ(writes.size(), 1u) << "the helper should write once: the map";
  const WriteSeen& write = writes[0];
  EXPECT_EQ(write.file, "/proc/" + std::to_string(target->pid()) + "/uid_map");
  EXPECT_EQ(write.data, "0 300000 65536\n");
  ExpectRunsAsCaller(write);
  EXPECT_EQ(write.status.at("CapEff"), kSetuid);
  EXPECT_EQ(write.status.at("CapPrm"), kSetuid);
  // None of the 300 inherited fds (all /dev/null from 3 up) survived.
  for (const std::string& fd : write.open_fds) {
    if (fd.rfind("0 ", 0) == 0 || fd.rfind("1 ", 0) == 0 || fd.rfind("2 ", 0) == 0) continue;
    EXPECT_EQ(fd.find("/dev/null"), std::string::npos) << fd;
  }
  EXPECT_LE(write.open_fds.size(), 8u) << ::testing::PrintToString(write.open_fds);
  EXPECT_EQ(target->UidMap(), "         0     300000      65536\n");
}

TEST_F(IdmapPrivilegeTest, MappingOutsideRootAddsCapSetfcapOnly) {
  auto target = Target::Start(users_.a);
  int exit_code = -1;
  auto writes = Observe(OurHelper(true), *target, {"0", "0", "1"}, &exit_code);
  ASSERT_EQ(exit_code, 0);
  ASSERT_EQ(writes.size(), 1u);
  ExpectRunsAsCaller(writes[0]);
  EXPECT_EQ(writes[0].status.at("CapEff"), kSetuidSetfcap);
  EXPECT_EQ(writes[0].status.at("CapPrm"), kSetuidSetfcap);
}

TEST_F(IdmapPrivilegeTest, SetgroupsIsWrittenWithoutCapabilitiesAndGidMapWithCapSetgid) {
  auto target = Target::Start(users_.a);
  int exit_code = -1;
  auto writes = Observe(OurHelper(false), *target, {"0", std::to_string(users_.a.gid), "1"}, &exit_code);
  ASSERT_EQ(exit_code, 0);
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[0].file, "/proc/" + std::to_string(target->pid()) + "/setgroups");
  EXPECT_EQ(writes[0].data, "deny");
  ExpectRunsAsCaller(writes[0]);
  EXPECT_EQ(writes[0].status.at("CapEff"), kNone);
  EXPECT_EQ(writes[0].status.at("CapPrm"), kSetgid);
  EXPECT_EQ(writes[1].file, "/proc/" + std::to_string(target->pid()) + "/gid_map");
  ExpectRunsAsCaller(writes[1]);
  EXPECT_EQ(writes[1].status.at("CapEff"), kSetgid);
}

TEST_F(IdmapPrivilegeTest, RefusalIsReportedWithoutEffectiveCapabilities) {
  auto target = Target::Start(users_.a);
  int exit_code = -1;
  auto writes = Observe(OurHelper(true), *target, {"0", std::to_string(kSubStartB), "1"}, &exit_code);
  ASSERT_EQ(exit_code, 1);
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_NE(writes[0].data.find("is not covered"), std::string::npos) << writes[0].data;
  ExpectRunsAsCaller(writes[0]);
  EXPECT_EQ(writes[0].status.at("CapEff"), kNone);
  EXPECT_EQ(writes[0].status.at("CapPrm"), kSetuid);
  EXPECT_EQ(target->UidMap(), "");
}

// uxc-newidmap holds CAP_SETUID and CAP_SETGID, but raises each only around
// its own map, and CAP_SETUID is gone for good before the gid_map is touched.
TEST_F(IdmapPrivilegeTest, CombinedHelperRaisesEachCapabilityOnlyForItsMap) {
  auto target = Target::Start(users_.a);
  int exit_code = -1;
  std::string pid = std::to_string(target->pid());
  std::string ranges = "u 0 " + std::to_string(kSubStartA) + " 65536 g 0 " + std::to_string(users_.a.gid) + " 1";
  auto writes = Observe(OurCombinedHelper(), *target, Words(ranges), &exit_code, 300);
  ASSERT_EQ(exit_code, 0);
  ASSERT_EQ(writes.size(), 3u) << "uid_map, setgroups, gid_map";
  for (const WriteSeen& write : writes) ExpectRunsAsCaller(write);
  EXPECT_EQ(writes[0].file, "/proc/" + pid + "/uid_map");
  EXPECT_EQ(writes[0].data, "0 300000 65536\n");
  EXPECT_EQ(writes[0].status.at("CapEff"), kSetuid);
  EXPECT_EQ(writes[0].status.at("CapPrm"), kSetuidSetgid);
  EXPECT_EQ(writes[1].file, "/proc/" + pid + "/setgroups");
  EXPECT_EQ(writes[1].data, "deny");
  EXPECT_EQ(writes[1].status.at("CapEff"), kNone);
  EXPECT_EQ(writes[1].status.at("CapPrm"), kSetgid);
  EXPECT_EQ(writes[2].file, "/proc/" + pid + "/gid_map");
  EXPECT_EQ(writes[2].data, "0 " + std::to_string(users_.a.gid) + " 1\n");
  EXPECT_EQ(writes[2].status.at("CapEff"), kSetgid);
  EXPECT_EQ(writes[2].status.at("CapPrm"), kSetgid);
  for (const std::string& fd : writes[0].open_fds) {
    if (fd.rfind("0 ", 0) == 0 || fd.rfind("1 ", 0) == 0 || fd.rfind("2 ", 0) == 0) continue;
    EXPECT_EQ(fd.find("/dev/null"), std::string::npos) << fd;
  }
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 65536));
  EXPECT_EQ(target->GidMap(), MapLine(0, users_.a.gid, 1));
}

TEST_F(IdmapPrivilegeTest, CombinedHelperMappingOutsideRootAddsCapSetfcapToTheUidMapOnly) {
  auto target = Target::Start(users_.a);
  int exit_code = -1;
  auto writes = Observe(OurCombinedHelper(), *target, Words("u 0 0 1 g 0 " + std::to_string(kSubStartA) + " 10"),
                        &exit_code);
  ASSERT_EQ(exit_code, 0);
  ASSERT_EQ(writes.size(), 2u) << "uid_map, gid_map (a subgid range leaves setgroups alone)";
  EXPECT_EQ(writes[0].status.at("CapEff"), kSetuidSetfcap);
  EXPECT_EQ(writes[0].status.at("CapPrm"), kSetuidSetgidSetfcap);
  EXPECT_EQ(writes[1].file, "/proc/" + std::to_string(target->pid()) + "/gid_map");
  EXPECT_EQ(writes[1].status.at("CapEff"), kSetgid);
  EXPECT_EQ(writes[1].status.at("CapPrm"), kSetgid);
}

TEST_F(IdmapPrivilegeTest, CombinedHelperRefusalRaisesNothing) {
  auto target = Target::Start(users_.a);
  int exit_code = -1;
  auto writes = Observe(OurCombinedHelper(), *target,
                        Words("u 0 " + std::to_string(kSubStartA) + " 10 g 0 " + std::to_string(kSubStartB) + " 1"),
                        &exit_code);
  ASSERT_EQ(exit_code, 1);
  ASSERT_EQ(writes.size(), 1u) << "only the message";
  EXPECT_NE(writes[0].data.find("is not covered by /etc/subgid"), std::string::npos) << writes[0].data;
  EXPECT_EQ(writes[0].status.at("CapEff"), kNone);
  EXPECT_EQ(writes[0].status.at("CapPrm"), kSetuidSetgid);
  EXPECT_EQ(target->UidMap(), "");
}

}  // namespace
}  // namespace uxc::testing

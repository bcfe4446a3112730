// One client must not wedge the monitor (issue 9, item 9), for real: while
// clients of the container's own user hold its control socket with half a
// request, with nothing, with an endless line, or with requests whose
// answers they never read, `uxc info`, `uxc ls` and `uxc stop` finish.
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

// A client process running as the container's user (the monitor serves only
// its own uid) that connects, misbehaves, and holds on until destroyed.
class HostileClient {
 public:
  enum class Behaviour { kHalfLine, kNothing, kEndlessLine, kNeverReads };

  static std::unique_ptr<HostileClient> Start(const HostUser& user, const std::string& socket_path,
                                              Behaviour behaviour) {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) return nullptr;
    pid_t pid = fork();
    if (pid < 0) return nullptr;
    if (pid == 0) {
      close(ready[0]);
      if (setgroups(0, nullptr) != 0 || setresgid(user.gid, user.gid, user.gid) != 0 ||
          setresuid(user.uid, user.uid, user.uid) != 0) {
        _exit(1);
      }
      int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_un address = {};
      address.sun_family = AF_UNIX;
      std::strncpy(address.sun_path, socket_path.c_str(), sizeof address.sun_path - 1);
      if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) _exit(2);
      Misbehave(fd, behaviour, ready[1]);
      for (;;) pause();
    }
    close(ready[1]);
    char byte = 0;
    bool connected = read(ready[0], &byte, 1) == 1;
    close(ready[0]);
    auto client = std::unique_ptr<HostileClient>(new HostileClient(pid));
    return connected ? std::move(client) : nullptr;
  }

  ~HostileClient() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }

 private:
  explicit HostileClient(pid_t pid) : pid_(pid) {}

  // Says "connected" on `ready` once the misbehaviour is under way; the
  // blocking writes of the last two then go on until the monitor drops it.
  static void Misbehave(int fd, Behaviour behaviour, int ready) {
    if (behaviour == Behaviour::kHalfLine && write(fd, "sta", 3) != 3) _exit(3);
    if (write(ready, "c", 1) != 1) _exit(4);
    if (behaviour == Behaviour::kEndlessLine || behaviour == Behaviour::kNeverReads) {
      std::string chunk = behaviour == Behaviour::kEndlessLine ? std::string(4096, 'x') : "state\nstate\n";
      while (send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL) > 0) {
      }
    }
  }

  pid_t pid_;
};

class MonitorClientsTest : public LifecycleTest {};

TEST_F(MonitorClientsTest, NoClientWedgesTheMonitor) {
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string socket = RuntimeBase() + "/" + name_ + "/control";
  std::vector<std::unique_ptr<HostileClient>> clients;
  for (auto behaviour : {HostileClient::Behaviour::kHalfLine, HostileClient::Behaviour::kNothing,
                         HostileClient::Behaviour::kEndlessLine, HostileClient::Behaviour::kNeverReads}) {
    clients.push_back(HostileClient::Start(user_, socket, behaviour));
    ASSERT_NE(clients.back(), nullptr);
  }
  RunOptions deadline;
  deadline.timeout_seconds = 30;
  auto info = Uxc("info", {name_}, deadline);
  EXPECT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("RUNNING"), std::string::npos) << info.out;
  EXPECT_EQ(LsState(name_), "RUNNING");
  auto stopped = Uxc("stop", {name_, "-k"}, deadline);
  EXPECT_EQ(stopped.exit_code, 0) << "stop did not finish: " << stopped.err;
  clients.clear();
  if (stopped.exit_code != 0) {
    auto again = Uxc("stop", {name_, "-k"}, deadline);
    EXPECT_EQ(again.exit_code, 0) << again.err;
  }
  ExpectNothingLeft(name_);
}

// A crowd of silent connections, more than the monitor keeps: the newest
// are served, the longest-silent evicted, and `uxc stop` still works.
TEST_F(MonitorClientsTest, ACrowdOfSilentClientsDoesNotLockStopOut) {
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string socket = RuntimeBase() + "/" + name_ + "/control";
  std::vector<std::unique_ptr<HostileClient>> clients;
  for (int i = 0; i < 40; ++i) {
    clients.push_back(HostileClient::Start(user_, socket, HostileClient::Behaviour::kNothing));
    ASSERT_NE(clients.back(), nullptr);
  }
  RunOptions deadline;
  deadline.timeout_seconds = 30;
  auto stopped = Uxc("stop", {name_, "-k"}, deadline);
  EXPECT_EQ(stopped.exit_code, 0) << "stop did not finish: " << stopped.err;
  clients.clear();
  if (stopped.exit_code != 0) Uxc("stop", {name_, "-k"}, deadline);
  ExpectNothingLeft(name_);
}

}  // namespace
}  // namespace uxc::testing

// A container that LXC's own lxc-start runs, seen from uxc: lxc-start
// listens on an abstract unix socket "LXCPATH/NAME/command" (what lxc-ls and
// lxc-info ask), and takes no lock of uxc's. Here the test listens there in
// LXC's place, as the real user's lxc-start would.
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class LxcRunsItTest : public LifecycleTest {
 protected:
  void ListenAsLxcStart() {
    std::string name = path_ + "/" + name_ + "/command";
    listener_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(listener_, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    ASSERT_LT(name.size() + 2, sizeof address.sun_path) << "keep the test's path short: LXC would hash it";
    memcpy(address.sun_path + 1, name.data(), name.size());
    socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
    ASSERT_EQ(bind(listener_, reinterpret_cast<sockaddr*>(&address), length), 0) << strerror(errno);
    ASSERT_EQ(listen(listener_, 8), 0);
  }
  void TearDown() override {
    if (listener_ >= 0) close(listener_);
    LifecycleTest::TearDown();
  }
  int listener_ = -1;
};

TEST_F(LxcRunsItTest, IsRunningInLsAndIsNeitherStartedAgainNorDestroyed) {
  ListenAsLxcStart();
  EXPECT_EQ(LsState(name_), "RUNNING");
  std::string hint = "is running under LXC (lxc-start); stop it with `lxc-stop -n " + name_ + " -P " + path_ + "`";
  for (std::string command : {"start", "execute", "destroy"}) {
    std::vector<std::string> args = {name_};
    if (command == "execute") args = {name_, "--", "/bin/true"};
    auto refused = Uxc(command, args);
    EXPECT_EQ(refused.exit_code, 1) << command;
    EXPECT_TRUE(Contains(refused.err, hint)) << command << ": " << refused.err;
  }
  auto foreground = Uxc("start", {"-F", name_});
  EXPECT_EQ(foreground.exit_code, 1);
  EXPECT_TRUE(Contains(foreground.err, hint)) << foreground.err;
  EXPECT_TRUE(ProcessesOfUser().empty()) << "a refused start left a process";
  EXPECT_EQ(access((path_ + "/" + name_ + "/config").c_str(), F_OK), 0) << "destroy removed what LXC runs";

  close(listener_);
  listener_ = -1;
  EXPECT_EQ(LsState(name_), "STOPPED");
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(Uxc("stop", {name_}).exit_code, 0);
}

}  // namespace
}  // namespace uxc::testing

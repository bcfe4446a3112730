#include "launcher/lifecycle/pending_requests.h"

#include <stdlib.h>
#include <unistd.h>

#include "gtest/gtest.h"
#include "launcher/lifecycle/control_socket.h"

namespace uxc::lifecycle {
namespace {

class PendingRequestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/uxc-pending-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    auto listener = ListenControlSocket(dir_ + "/control");
    ASSERT_TRUE(listener.ok()) << listener.error().ToString();
    listener_ = std::move(*listener);
  }
  void TearDown() override {
    unlink((dir_ + "/control").c_str());
    rmdir(dir_.c_str());
  }

  // A client whose request is queued before anyone accepts it.
  UniqueFd Queue(const std::string& request) {
    auto client = ConnectControlSocket(dir_ + "/control", "c1");
    EXPECT_TRUE(client.ok()) << client.error().ToString();
    if (!request.empty()) {
      EXPECT_TRUE(SendMessage(client->get(), request).ok());
    }
    return std::move(*client);
  }

  std::string dir_;
  UniqueFd listener_;
};

TEST_F(PendingRequestsTest, AQueuedHaltCancelsAndEveryClientIsAnswered) {
  UniqueFd halt = Queue("halt\n");
  UniqueFd state = Queue("state\n");
  UniqueFd probe = Queue("");
  probe.Reset();  // `uxc ls` connects and goes
  PendingRequests pending = TakePendingRequests(listener_.get(), 200);
  EXPECT_TRUE(pending.stop);
  EXPECT_EQ(pending.clients.size(), 2u);
  EXPECT_EQ(*ReceiveLine(halt.get()), "ok");
  auto refused = ReceiveLine(state.get());
  ASSERT_TRUE(refused.ok()) << refused.error().ToString();
  EXPECT_EQ(*refused, "error: the container is restarting after a reboot; try again");
}

TEST_F(PendingRequestsTest, NothingQueuedOrNoStopLetsTheRestartGoOn) {
  EXPECT_FALSE(TakePendingRequests(listener_.get(), 200).stop);
  UniqueFd pid = Queue("pid\n");
  PendingRequests pending = TakePendingRequests(listener_.get(), 200);
  EXPECT_FALSE(pending.stop);
  EXPECT_EQ(pending.clients.size(), 1u);
}

}  // namespace
}  // namespace uxc::lifecycle

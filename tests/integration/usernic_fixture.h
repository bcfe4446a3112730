// Real set-ups for uxc-user-nic's tests: a network namespace the test makes
// (`ip netns add`) with bridges in it, in which every helper runs, so that
// every device in play is the test's; processes of test users in network
// namespaces they own (or not); and the helper run as a user in that
// namespace. No traffic leaves it; it is deleted at the end, failed or not.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "config/nic_db.h"
#include "gtest/gtest.h"
#include "tests/integration/idmap_fixture.h"
#include "tests/lib/host.h"

namespace uxc::testing {

inline constexpr char kTestNetns[] = "uxc-t-usernic";
inline constexpr char kBridge0[] = "usernic-br0";
inline constexpr char kBridge1[] = "usernic-br1";
inline constexpr unsigned kBridgeMtu = 1400;

// A process in a network namespace, until destroyed.
class NetnsProcess {
 public:
  enum class Kind {
    kOwn,      // the user's: unshare(CLONE_NEWUSER | CLONE_NEWNET) as the user
    kRoot,     // root's: unshare(CLONE_NEWNET) as root (a root-owned container)
    kJoined,   // runs as the user, but setns'd into `other`'s namespace (CVE-2017-5985)
  };
  static std::unique_ptr<NetnsProcess> Start(const HostUser& user, Kind kind, const NetnsProcess* other = nullptr);
  ~NetnsProcess();
  NetnsProcess(const NetnsProcess&) = delete;
  NetnsProcess& operator=(const NetnsProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::string NetnsPath() const { return "/proc/" + std::to_string(pid_) + "/ns/net"; }
  // `ip -o link` in its namespace (as root).
  std::string Links() const;
  // Kills it and waits until the kernel has destroyed its namespace's veth
  // pairs (their host ends gone from the test's namespace), 10 s at most.
  void Stop(const std::vector<std::string>& host_nics = {});

 private:
  NetnsProcess() = default;
  pid_t pid_ = -1;
};

// In a child forked as root: join the test's network namespace, or _exit(119).
void EnterTestNetns();

// The helper's whole output, split.
struct NicOutput {
  std::string container_nic;
  int container_index = 0;
  std::string host_nic;
  int host_index = 0;
};
// "eth0:2:veth1000_aB3d:731\n" parsed; a failed expectation when it is not that.
NicOutput ParseNicOutput(const std::string& out);

class UsernicTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // uxc-user-nic ARGS as `user`, inside the test's network namespace.
  CommandResult Nic(const HostUser& user, const std::vector<std::string>& args, HelperOptions options = {});
  CommandResult Create(const HostUser& user, const NetnsProcess& target, const std::string& bridge,
                       const std::string& name = "");
  // `ip ARGS` inside the test's network namespace, as root; its stdout.
  std::string Ip(const std::string& args);
  bool HostLinkExists(const std::string& name);
  // The host ends named veth<uid>_... in the test's namespace.
  std::vector<std::string> HostNicsOf(const HostUser& user);
  std::vector<config::NicRecord> DbRecords();
  void WriteDb(const std::vector<config::NicRecord>& records);
  void SetUsernet(const std::string& text) { usernet_->Write(text); }

  HostUser a_, b_;
  std::unique_ptr<ScopedHostFile> usernet_;
};

// The helper refused: exit 1, nothing on stdout, and on stderr one line
// that contains `text`, then at most a hint on a line of its own.
#define EXPECT_NIC_REFUSED(result, text)                                   \
  do {                                                                      \
    auto r_ = (result);                                                     \
    EXPECT_EQ(r_.exit_code, 1) << r_.err;                                   \
    EXPECT_EQ(r_.out, "");                                                  \
    EXPECT_NE(r_.err.find(text), std::string::npos) << r_.err;              \
    auto lines_ = std::count(r_.err.begin(), r_.err.end(), '\n');          \
    EXPECT_TRUE(lines_ == 1 || lines_ == 2) << r_.err;                      \
  } while (0)

}  // namespace uxc::testing

// Real processes for the id-map helper tests: test users with subordinate
// ranges, target processes in user namespaces, and a runner that execs a
// helper as a user with exactly the fds, environment and flags a test wants.
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/lib/host.h"

namespace uxc::testing {

inline constexpr uid_t kSubStartA = 300000;
inline constexpr uid_t kSubStartB = 400000;
inline constexpr uid_t kSubCount = 65536;

// The two test users; A is the usual caller, B "another user".
struct IdmapUsers {
  HostUser a;
  HostUser b;
};
IdmapUsers EnsureIdmapUsers();

// "uxct-idmap-a:300000:65536\nuxct-idmap-b:400000:65536\n"
std::string DefaultSubidText(const IdmapUsers& users);

// A process that a test maps. It runs until destroyed.
class Target {
 public:
  enum class Namespace {
    kNew,      // unshare(CLONE_NEWUSER) as the user: a namespace the user owns
    kOwn,      // stays in the host's user namespace
    kForeign,  // runs as the user, but joined (setns) a namespace root created
  };
  // Forks the process as `user` (from a root test process).
  static std::unique_ptr<Target> Start(const HostUser& user, Namespace ns = Namespace::kNew);
  ~Target();
  Target(const Target&) = delete;
  Target& operator=(const Target&) = delete;

  pid_t pid() const { return pid_; }
  std::string UidMap() const;
  std::string GidMap() const;
  std::string Setgroups() const;
  // Inside the namespace: setgroups(0, NULL); returns 0 or the errno.
  int TrySetgroups();
  // Inside the namespace: unshare(CLONE_NEWUSER) again; returns 0 or errno.
  int TryNestedUserns();
  // Ends the process and reaps it; its pid becomes free.
  void Stop();

 private:
  Target() = default;
  int Command(char command);
  pid_t pid_ = -1;
  int command_fd_ = -1;
  int reply_fd_ = -1;
  pid_t holder_ = -1;  // kForeign: the root process that owns the namespace
};

struct HelperOptions {
  std::vector<std::string> env = {"PATH=/usr/bin:/bin"};  // the whole environment
  bool close_stdin = false;
  bool close_stdout = false;
  bool close_stderr = false;
  int inherited_fds = 0;      // extra fds from 3 up on /dev/null, not close-on-exec
  std::vector<int> pass_fds;  // this process's fds, passed at the same number
  bool no_new_privs = false;
  bool empty_argv = false;    // execve with argc == 0
  // Runs in the child as root, before it becomes the user.
  std::function<void()> as_root_before_exec;
};

// In a child forked as root: become `user` for good (ids and groups), or
// _exit(120).
void BecomeUser(const HostUser& user);

// Execs `binary args...` as `user` (real, effective, saved ids and groups).
CommandResult RunHelperAs(const HostUser& user, const std::string& binary, const std::vector<std::string>& args,
                          const HelperOptions& options = {});

// The path of our helper ("uxc-newuidmap") or shadow's ("newuidmap").
std::string OurHelper(bool uid);
std::string ShadowHelper(bool uid);
// uxc-newidmap, which writes both maps.
std::string OurCombinedHelper();

// "0 300000 65536" as separate words.
std::vector<std::string> Words(const std::string& text);

// A directory every test user can read, for files the helper must open.
std::string SharedTempDir();

// The two test users, and /etc/subuid and /etc/subgid granting them
// DefaultSubidText for the test (restored after it).
class IdmapHostTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Runs `helper PID words...` as user A.
  CommandResult RunOn(const std::string& helper, const Target& target, const std::string& words,
                      const HelperOptions& options = {});
  // An outside id in A's subordinate range.
  std::string A(uid_t offset = 0) const { return std::to_string(kSubStartA + offset); }

  IdmapUsers users_;
  std::unique_ptr<ScopedHostFile> subuid_;
  std::unique_ptr<ScopedHostFile> subgid_;
};

// libidmap_marker.so (a data dependency of the test) copied where every test
// user can read it. Preloaded, it creates the file $IDMAP_MARKER.
std::string MarkerLibrary();

// The control for a hostile environment: /bin/true run as `user` with
// `options` (which preload MarkerLibrary()) does create `marker`. Removes the
// marker again, so that the helper run next starts without one.
bool PreloadWritesMarker(const HostUser& user, const HelperOptions& options, const std::string& marker);

// A line of /proc/PID/uid_map as the kernel prints it.
std::string MapLine(uint32_t inside, uint32_t outside, uint32_t count);

// The helper refused: exit 1 and, on stderr, one line of message that
// contains `text` (or the hint's line after it: docs/errors.md).
#define EXPECT_REFUSED(result, text)                                        \
  do {                                                                      \
    auto r_ = (result);                                                     \
    EXPECT_EQ(r_.exit_code, 1) << r_.err;                                   \
    EXPECT_NE(r_.err.find(text), std::string::npos) << r_.err;              \
    auto lines_ = std::count(r_.err.begin(), r_.err.end(), '\n');          \
    EXPECT_TRUE(lines_ == 1 || lines_ == 2) << r_.err;                      \
  } while (0)

}  // namespace uxc::testing

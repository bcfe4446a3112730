// Test-side access to the real host: users, policy files, installed binaries,
// and running commands as another user. For integration tests that tests/run
// starts as root outside Bazel's sandbox.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace uxc::testing {

// The directory where tests/run installed the binaries under test, the
// helpers setuid root ($UXC_TEST_BIN). Aborts the test binary when unset.
std::string InstalledBinary(const std::string& name);

struct HostUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::string home;
};

// Creates the user (with a home) unless it exists. Test users are named
// "uxct-*" and left in place between runs; their policy entries are not.
HostUser EnsureUser(const std::string& name);

// Replaces a host file (e.g. /etc/subuid) for the lifetime of the guard and
// restores the original content, or its absence, afterwards.
class ScopedHostFile {
 public:
  ScopedHostFile(std::string path, const std::string& content);
  ~ScopedHostFile();
  ScopedHostFile(const ScopedHostFile&) = delete;
  ScopedHostFile& operator=(const ScopedHostFile&) = delete;

  void Write(const std::string& content);
  void Remove();

 private:
  std::string path_;
  bool existed_ = false;
  std::string original_;
  mode_t mode_ = 0644;
};

struct CommandResult {
  int exit_code = -1;     // -1 when killed by a signal
  int term_signal = 0;    // the signal that ended it, or 0
  std::string out;
  std::string err;
};

struct RunOptions {
  // The environment of the command; PATH is added when missing.
  std::map<std::string, std::string> env;
  int timeout_seconds = 60;
  std::string stdin_data;
  std::string cwd;        // the user's home when empty
  // When set, the command runs in the network namespace /run/netns/NETNS
  // (`ip netns add`), joined as root before it becomes the user.
  std::string netns;
};

// Runs argv as `user` (real and effective ids, supplementary groups from the
// group database), the way a login shell would, and collects its output.
CommandResult RunAs(const HostUser& user, const std::vector<std::string>& argv,
                    const RunOptions& options = {});

// Runs argv as root (this process's credentials).
CommandResult Run(const std::vector<std::string>& argv, const RunOptions& options = {});

std::string ReadFileOrDie(const std::string& path);
// The file's content, or "" when it cannot be read.
std::string ReadFileOrEmpty(const std::string& path);
// `text` without its trailing newlines and spaces.
std::string TrimmedEnd(std::string text);

}  // namespace uxc::testing

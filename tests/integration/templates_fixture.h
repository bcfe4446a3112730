// Shared setup for the template tests: a real unprivileged user with a
// subordinate range, a fresh container path they own, and helpers to run
// the installed uxc as them and to look at what it made.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/lib/host.h"

namespace uxc::testing {

inline constexpr uid_t kSubidStart = 200000;
inline constexpr uid_t kSubidCount = 65536;

class TemplatesTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Runs the installed `uxc ARGS...` as the test user.
  CommandResult Uxc(const std::vector<std::string>& args, int timeout_seconds = 120);
  // `uxc create NAME -P <path> -t TEMPLATE -- TEMPLATE_ARGS...`
  CommandResult Create(const std::string& name, const std::string& template_name,
                       const std::vector<std::string>& template_args = {}, int timeout_seconds = 120);
  CommandResult Destroy(const std::string& name);

  std::string ContainerDir(const std::string& name) const { return path_ + "/" + name; }
  std::string Rootfs(const std::string& name) const { return ContainerDir(name) + "/rootfs"; }
  // A directory the test user can read, for tarballs and keyrings.
  std::string Scratch() const { return scratch_; }

  HostUser user_;
  std::string path_;     // the container path passed with -P
  std::string scratch_;

 private:
  std::unique_ptr<ScopedHostFile> subuid_;
  std::unique_ptr<ScopedHostFile> subgid_;
};

// lstat or fail the test.
struct stat StatOrDie(const std::string& path);
bool Exists(const std::string& path);
// Makes `path` (and parents) owned by `owner`.
void MakeOwnedDirectory(const std::string& path, const HostUser& owner);
// Runs a shell command as root; fails the test on a non-zero exit.
std::string Shell(const std::string& command);
// The names in a directory, sorted, without "." and "..".
std::vector<std::string> ListDirectory(const std::string& path);

}  // namespace uxc::testing

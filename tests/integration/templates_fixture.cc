#include "tests/integration/templates_fixture.h"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace uxc::testing {

void TemplatesTest::SetUp() {
  user_ = EnsureUser("uxct-templates");
  std::string range = user_.name + ":" + std::to_string(kSubidStart) + ":" + std::to_string(kSubidCount) + "\n";
  subuid_ = std::make_unique<ScopedHostFile>("/etc/subuid", range);
  subgid_ = std::make_unique<ScopedHostFile>("/etc/subgid", range);
  std::string pattern = "/var/tmp/uxc-templates-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  scratch_ = pattern;
  ASSERT_EQ(chmod(scratch_.c_str(), 0755), 0);
  path_ = scratch_ + "/containers";
  MakeOwnedDirectory(path_, user_);
}

void TemplatesTest::TearDown() {
  // Whatever a failed test left: root can remove the subordinate-owned tree.
  if (!scratch_.empty()) uxc::testing::Run({"rm", "-rf", "--one-file-system", scratch_});
  subgid_.reset();
  subuid_.reset();
}

CommandResult TemplatesTest::Uxc(const std::vector<std::string>& args, int timeout_seconds) {
  std::vector<std::string> argv = {InstalledBinary("uxc")};
  argv.insert(argv.end(), args.begin(), args.end());
  RunOptions options;
  options.timeout_seconds = timeout_seconds;
  return RunAs(user_, argv, options);
}

CommandResult TemplatesTest::Create(const std::string& name, const std::string& template_name,
                                    const std::vector<std::string>& template_args, int timeout_seconds) {
  std::vector<std::string> args = {"create", name, "-P", path_, "-t", template_name};
  if (!template_args.empty()) {
    args.push_back("--");
    args.insert(args.end(), template_args.begin(), template_args.end());
  }
  return Uxc(args, timeout_seconds);
}

CommandResult TemplatesTest::Destroy(const std::string& name) { return Uxc({"destroy", name, "-P", path_}); }

struct stat StatOrDie(const std::string& path) {
  struct stat st = {};
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st;
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

void MakeOwnedDirectory(const std::string& path, const HostUser& owner) {
  ASSERT_EQ(Run({"mkdir", "-p", path}).exit_code, 0);
  ASSERT_EQ(chown(path.c_str(), owner.uid, owner.gid), 0);
}

std::string Shell(const std::string& command) {
  CommandResult result = Run({"/bin/sh", "-c", command});
  EXPECT_EQ(result.exit_code, 0) << command << "\n" << result.err;
  return result.out;
}

std::vector<std::string> ListDirectory(const std::string& path) {
  std::vector<std::string> names;
  if (DIR* dir = opendir(path.c_str())) {
    while (dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace uxc::testing

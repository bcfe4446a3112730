#include "launcher/cli/host_facts.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "kernel/cgroup_layout.h"

namespace uxc::cli {
namespace {

using kernel::CgroupLayout;
using kernel::CgroupMode;
using kernel::OwnCgroup2Directory;
using kernel::ParseCgroupLayout;

bool Has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(GatherHostFactsTest, ReadsTheRunningKernel) {
  HostFacts facts = GatherHostFacts();
  EXPECT_EQ(facts.uid, getuid());
  EXPECT_FALSE(facts.kernel_release.empty());
  EXPECT_TRUE(Has(facts.namespaces, "mnt"));
  EXPECT_TRUE(Has(facts.namespaces, "user"));
  ASSERT_TRUE(facts.max_user_namespaces);
  // The root mount: mount point "/" (the fifth field; the fourth, the root
  // within its filesystem, is "/" only when the whole filesystem is mounted).
  bool root_mount = false;
  std::istringstream lines(facts.mountinfo);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string id, parent, device, root, mount_point;
    if (fields >> id >> parent >> device >> root >> mount_point && mount_point == "/") root_mount = true;
  }
  EXPECT_TRUE(root_mount) << facts.mountinfo;
  EXPECT_FALSE(facts.groups.empty());
}

TEST(GatherHostFactsTest, KernelConfigWhenReadableHasTheUserNamespaceOption) {
  HostFacts facts = GatherHostFacts();
  if (facts.kernel_config_source.empty()) {
    struct stat status;
    // Nothing to read: neither file may be there.
    EXPECT_NE(stat("/proc/config.gz", &status), 0);
    return;
  }
  EXPECT_NE(facts.kernel_config.find("CONFIG_USER_NS=y"), std::string::npos) << facts.kernel_config_source;
}

TEST(GatherHostFactsTest, CgroupFactsAgreeWithTheMountTable) {
  HostFacts facts = GatherHostFacts();
  CgroupLayout layout = ParseCgroupLayout(facts.mountinfo, facts.self_cgroup);
  ASSERT_NE(layout.mode, CgroupMode::kNone) << facts.mountinfo;
  if (layout.v2_mount && OwnCgroup2Directory(layout)) {
    ASSERT_TRUE(facts.own_cgroup2);
    struct stat status;
    EXPECT_EQ(stat(facts.own_cgroup2->path.c_str(), &status), 0) << facts.own_cgroup2->path;
    EXPECT_TRUE(S_ISDIR(status.st_mode));
  }
}

TEST(GatherHostFactsTest, LooksForEveryHelper) {
  HostFacts facts = GatherHostFacts();
  ASSERT_EQ(facts.helpers.size(), 4u);
  EXPECT_EQ(facts.helpers[0].name, "uxc-newidmap");
  EXPECT_TRUE(facts.helpers[0].optional);
  EXPECT_EQ(facts.helpers[0].setting, "");
  EXPECT_EQ(facts.helpers[1].name, "uxc-newuidmap");
  EXPECT_FALSE(facts.helpers[1].optional);
  EXPECT_EQ(facts.helpers[2].name, "uxc-newgidmap");
  EXPECT_EQ(facts.helpers[3].name, "uxc-user-nic");
  for (const HelperFacts& helper : facts.helpers) {
    if (!helper.path.empty()) {
      EXPECT_EQ(access(helper.path.c_str(), X_OK), 0) << helper.path;
    }
  }
}

}  // namespace
}  // namespace uxc::cli

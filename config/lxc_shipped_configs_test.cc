// Debian's lxc and lxc-templates packages ship LXC's own configs under
// /usr/share/lxc/config (tools/packages installs both). Every one of them
// must load, alone and in the combination an unprivileged lxc-create writes.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/config_test_util.h"
#include "config/container_config.h"
#include "config/text_util.h"

namespace uxc::config {
namespace {

constexpr char kLxcConfigDir[] = "/usr/share/lxc/config";

std::vector<std::string> ShippedConfigs() {
  std::vector<std::string> files;
  DIR* dir = opendir(kLxcConfigDir);
  if (dir == nullptr) return files;
  while (struct dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (EndsWith(name, ".conf")) files.push_back(std::string(kLxcConfigDir) + "/" + name);
  }
  closedir(dir);
  std::sort(files.begin(), files.end());
  return files;
}

TEST(LxcShippedConfigs, EveryFileLoadsAlone) {
  std::vector<std::string> files = ShippedConfigs();
  // common.conf, userns.conf and 20-odd distribution files; far fewer means
  // Debian's lxc package is missing (tools/packages installs it).
  ASSERT_GE(files.size(), 20u) << "are Debian's lxc and lxc-templates packages installed?";
  for (const std::string& file : files) {
    Result<ContainerConfig> config = LoadContainerConfig({{{file, false}}, {}});
    EXPECT_TRUE(config.ok()) << file << ": " << config.error().ToString();
  }
}

TEST(LxcShippedConfigs, EveryDistributionWithUserns) {
  int distributions = 0;
  for (const std::string& common : ShippedConfigs()) {
    if (!EndsWith(common, ".common.conf")) continue;
    ++distributions;
    std::string userns = common.substr(0, common.size() - 12) + ".userns.conf";
    testing::ScratchDir dir;
    std::string config_path =
        dir.Write("config", "lxc.include = " + common + "\n" +
                                (access(userns.c_str(), R_OK) == 0 ? "lxc.include = " + userns + "\n"
                                                                   : std::string()) +
                                "lxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n"
                                "lxc.rootfs.path = dir:/srv/c1/rootfs\nlxc.uts.name = c1\n");
    Result<ContainerConfig> config = LoadContainerConfig({{{config_path, false}}, {}});
    EXPECT_TRUE(config.ok()) << common << ": " << config.error().ToString();
  }
  // lxc-templates ships 19 DISTRO.common.conf files; none means nothing was checked.
  EXPECT_GE(distributions, 15) << "is Debian's lxc-templates package installed?";
}

// What common.conf followed by userns.conf means, per LXC's confile.c.
TEST(LxcShippedConfigs, UsernsConfUndoesCommonConfAsInLxc) {
  testing::ScratchDir dir;
  std::string config_path = dir.Write(
      "config", std::string("lxc.include = ") + kLxcConfigDir + "/common.conf\nlxc.include = " +
                    kLxcConfigDir + "/userns.conf\n");
  Result<ContainerConfig> config = LoadContainerConfig({{{config_path, false}}, {}});
  ASSERT_TRUE(config.ok()) << config.error().ToString();
  EXPECT_EQ(config->Get("lxc.mount.auto"), "proc:mixed sys:rw cgroup:mixed");
  EXPECT_TRUE(config->GetList("lxc.cap.drop").empty());
  EXPECT_TRUE(config->KeysWithPrefix("lxc.cgroup2.devices.").empty());
  EXPECT_TRUE(config->KeysWithPrefix("lxc.cgroup.devices.").empty());
  EXPECT_FALSE(config->Get("lxc.tty.dir").has_value());
  EXPECT_EQ(config->Get("lxc.pty.max"), "1024");
  EXPECT_EQ(config->Get("lxc.tty.max"), "4");
  EXPECT_EQ(config->Get("lxc.seccomp.profile"), std::string(kLxcConfigDir) + "/common.seccomp");
  for (const Warning& warning : config->warnings()) {
    ADD_FAILURE() << "unexpected warning: " << warning.ToString();
  }
}

}  // namespace
}  // namespace uxc::config

// uxc's own includes (config/includes, installed as share/uxc/config): every
// file loads alone and as DISTRO.common.conf + DISTRO.userns.conf without a
// warning, and the pair means for a user-namespace container what LXC's pair
// means, so a config written by uxc's templates needs no LXC at all.
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

// Absolute, since the configs under test live in a scratch directory and
// relative includes resolve against the including file.
std::string IncludeDir() {
  char cwd[4096];
  return std::string(getcwd(cwd, sizeof cwd) != nullptr ? cwd : ".") + "/config/includes";
}

std::vector<std::string> FilesEndingWith(const std::string& suffix) {
  std::vector<std::string> files;
  const std::string include_dir = IncludeDir();
  DIR* dir = opendir(include_dir.c_str());
  if (dir == nullptr) return files;
  while (struct dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (EndsWith(name, suffix)) files.push_back(include_dir + "/" + name);
  }
  closedir(dir);
  std::sort(files.begin(), files.end());
  return files;
}

Result<ContainerConfig> LoadWithIncludes(const testing::ScratchDir& dir, const std::vector<std::string>& includes) {
  std::string text;
  for (const std::string& include : includes) text += "lxc.include = " + include + "\n";
  text += "lxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n"
          "lxc.rootfs.path = dir:/srv/c1/rootfs\nlxc.uts.name = c1\n";
  return LoadContainerConfig({{{dir.Write("config", text), false}}, {}});
}

void ExpectNoWarnings(const ContainerConfig& config, const std::string& what) {
  for (const Warning& warning : config.warnings()) ADD_FAILURE() << what << ": " << warning.ToString();
}

TEST(UxcIncludes, EveryFileLoadsAloneWithoutWarnings) {
  std::vector<std::string> files = FilesEndingWith(".conf");
  // common, userns and a common/userns pair for each of 14 distributions.
  ASSERT_GE(files.size(), 30u) << "config/includes is not in the test's data";
  for (const std::string& file : files) {
    Result<ContainerConfig> config = LoadContainerConfig({{{file, false}}, {}});
    ASSERT_TRUE(config.ok()) << file << ": " << config.error().ToString();
    ExpectNoWarnings(*config, file);
  }
}

TEST(UxcIncludes, EveryDistributionHasAUsernsPairThatLoads) {
  std::vector<std::string> commons = FilesEndingWith(".common.conf");
  ASSERT_GE(commons.size(), 14u);
  for (const std::string& common : commons) {
    std::string userns = common.substr(0, common.size() - 12) + ".userns.conf";
    ASSERT_EQ(access(userns.c_str(), R_OK), 0) << userns << " is missing";
    testing::ScratchDir dir;
    Result<ContainerConfig> config = LoadWithIncludes(dir, {common, userns});
    ASSERT_TRUE(config.ok()) << common << ": " << config.error().ToString();
    ExpectNoWarnings(*config, common);
    EXPECT_TRUE(config->GetList("lxc.cap.drop").empty()) << common;
    EXPECT_EQ(config->Get("lxc.mount.auto"), "proc:mixed sys:rw cgroup:mixed") << common;
  }
}

TEST(UxcIncludes, DistributionSettingsSurviveTheUsernsPair) {
  testing::ScratchDir dir;
  std::string base = IncludeDir() + "/";
  Result<ContainerConfig> arch =
      LoadWithIncludes(dir, {base + "archlinux.common.conf", base + "archlinux.userns.conf"});
  ASSERT_TRUE(arch.ok()) << arch.error().ToString();
  EXPECT_EQ(arch->Get("lxc.tty.max"), "6");
  EXPECT_EQ(arch->Get("lxc.signal.halt"), "SIGRTMIN+4");
  EXPECT_EQ(arch->Get("lxc.pty.max"), "1024");
}

// Where LXC is installed, uxc's pair and LXC's pair agree on every key that a
// user-namespace container honours (lxc.tty.dir among them: both pairs end
// without it); the device cgroup rules that LXC's files add are what uxc
// leaves out on purpose (docs/config.md).
TEST(UxcIncludes, AgreeWithLxcsPairWhereLxcIsInstalled) {
  const std::string lxc = "/usr/share/lxc/config/debian.common.conf";
  if (access(lxc.c_str(), R_OK) != 0) GTEST_SKIP() << "LXC's lxc-templates is not installed";
  testing::ScratchDir dir;
  std::string base = IncludeDir() + "/";
  Result<ContainerConfig> ours = LoadWithIncludes(dir, {base + "debian.common.conf", base + "debian.userns.conf"});
  Result<ContainerConfig> theirs =
      LoadWithIncludes(dir, {lxc, "/usr/share/lxc/config/debian.userns.conf"});
  ASSERT_TRUE(ours.ok()) << ours.error().ToString();
  ASSERT_TRUE(theirs.ok()) << theirs.error().ToString();
  for (const char* key : {"lxc.tty.max", "lxc.tty.dir", "lxc.pty.max", "lxc.mount.auto", "lxc.cap.keep"}) {
    EXPECT_EQ(ours->Get(key), theirs->Get(key)) << key;
  }
  EXPECT_EQ(ours->GetList("lxc.cap.drop"), theirs->GetList("lxc.cap.drop"));
  EXPECT_EQ(ours->GetList("lxc.mount.entry"), theirs->GetList("lxc.mount.entry"));
}

}  // namespace
}  // namespace uxc::config

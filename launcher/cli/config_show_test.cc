#include "launcher/cli/config_show.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace uxc::cli {
namespace {

TEST(ConfigFileForTest, NameResolvesUnderTheContainerPath) {
  EXPECT_EQ(ConfigFileFor("c1", "/home/a/.local/share/uxc"), "/home/a/.local/share/uxc/c1/config");
}

TEST(ConfigFileForTest, ArgumentWithASlashIsAFile) {
  EXPECT_EQ(ConfigFileFor("./c1.conf", "/x"), "./c1.conf");
  EXPECT_EQ(ConfigFileFor("/etc/c1.conf", "/x"), "/etc/c1.conf");
}

class FormatEffectiveConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/uxc-config-show-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    home_ = pattern;
    std::filesystem::create_directories(home_ + "/.local/share/uxc/c1");
    config_ = home_ + "/.local/share/uxc/c1/config";
    std::ofstream(config_) << "# c1\nlxc.uts.name = c1\nlxc.idmap = u 0 100000 65536\nlxc.idmap = g 0 100000 65536\n";
  }
  void TearDown() override { std::filesystem::remove_all(home_); }

  std::string home_;
  std::string config_;
};

TEST_F(FormatEffectiveConfigTest, EachValueCarriesItsOriginWithHomeAbbreviated) {
  config::LoadRequest request = config::StandardLayers(config_, home_ + "/no-system-dir");
  request.overrides = {"lxc.uts.name=other"};
  Result<config::ContainerConfig> loaded = config::LoadContainerConfig(request);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  std::string text = FormatEffectiveConfig(*loaded, home_);
  EXPECT_NE(text.find("lxc.idmap = u 0 100000 65536   # ~/.local/share/uxc/c1/config:3\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("lxc.idmap = g 0 100000 65536   # ~/.local/share/uxc/c1/config:4\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("lxc.uts.name = other"), std::string::npos) << text;
  EXPECT_NE(text.find("# command line\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("lxc.uts.name = c1"), std::string::npos) << text;
}

TEST_F(FormatEffectiveConfigTest, ShortLinesArePaddedToOneColumn) {
  Result<config::ContainerConfig> loaded =
      config::ParseContainerConfigText("lxc.uts.name = a\nlxc.idmap = u 0 100000 65536\n", "/etc/c.conf");
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  std::string text = FormatEffectiveConfig(*loaded, "");
  EXPECT_NE(text.find("lxc.uts.name = a               # /etc/c.conf:1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("lxc.idmap = u 0 100000 65536   # /etc/c.conf:2\n"), std::string::npos) << text;
}

TEST_F(FormatEffectiveConfigTest, HomeIsAbbreviatedOnlyAtADirectoryBoundary) {
  Result<config::ContainerConfig> loaded = config::ParseContainerConfigText("lxc.uts.name = a\n", home_ + "x/c");
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  EXPECT_NE(FormatEffectiveConfig(*loaded, home_).find("# " + home_ + "x/c:1"), std::string::npos);
}

}  // namespace
}  // namespace uxc::cli

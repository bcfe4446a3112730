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

TEST_F(FormatEffectiveConfigTest, EachValueCarriesItsOriginOnACommentLineAbove) {
  config::LoadRequest request = config::StandardLayers(config_, home_ + "/no-system-dir");
  request.overrides = {"lxc.uts.name=other"};
  Result<config::ContainerConfig> loaded = config::LoadContainerConfig(request);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  std::string text = FormatEffectiveConfig(*loaded, home_);
  EXPECT_NE(text.find("# ~/.local/share/uxc/c1/config:3\nlxc.idmap = u 0 100000 65536\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("# ~/.local/share/uxc/c1/config:4\nlxc.idmap = g 0 100000 65536\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("# command line\nlxc.uts.name = other\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("lxc.uts.name = c1"), std::string::npos) << text;
}

// Issue 10: the printed config must load back with the same settings; the
// origins were part of each value before.
TEST_F(FormatEffectiveConfigTest, TheOutputLoadsBackWithTheSameSettings) {
  std::ofstream(config_, std::ios::app) << "lxc.net.0.type = veth\nlxc.net.0.link = uxcbr0\n"
                                           "lxc.mount.entry = /srv srv none bind,create=dir 0 0\n"
                                           "lxc.environment = GREETING=a # b\n"
                                           "lxc.environment = \"PADDED= b \"\n";
  config::LoadRequest request = config::StandardLayers(config_, home_ + "/no-system-dir");
  request.overrides = {"lxc.uts.name=other"};
  Result<config::ContainerConfig> loaded = config::LoadContainerConfig(request);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  std::string text = FormatEffectiveConfig(*loaded, home_);
  Result<config::ContainerConfig> reloaded = config::ParseContainerConfigText(text, "shown.conf");
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().ToString() << "\n" << text;
  ASSERT_EQ(reloaded->entries().size(), loaded->entries().size()) << text;
  for (size_t i = 0; i < loaded->entries().size(); ++i) {
    EXPECT_EQ(reloaded->entries()[i].key, loaded->entries()[i].key) << text;
    EXPECT_EQ(reloaded->entries()[i].value, loaded->entries()[i].value) << text;
  }
}

TEST_F(FormatEffectiveConfigTest, TheTableHasTheOriginOnTheSameLine) {
  config::LoadRequest request = config::StandardLayers(config_, home_ + "/no-system-dir");
  Result<config::ContainerConfig> loaded = config::LoadContainerConfig(request);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  std::string text = FormatEffectiveConfigTable(*loaded, home_);
  EXPECT_NE(text.find("lxc.idmap = u 0 100000 65536   # ~/.local/share/uxc/c1/config:3\n"), std::string::npos)
      << text;
}

TEST_F(FormatEffectiveConfigTest, JsonCarriesKeyValueFileAndLine) {
  Result<config::ContainerConfig> loaded =
      config::ParseContainerConfigText("lxc.uts.name = \"a\\b\"\n", "/etc/c.conf");
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  EXPECT_EQ(FormatEffectiveConfigJson(*loaded),
            "[\n  {\"key\": \"lxc.uts.name\", \"value\": \"a\\\\b\", \"file\": \"/etc/c.conf\", "
            "\"line\": 1}\n]\n");
}

TEST_F(FormatEffectiveConfigTest, ShortLinesArePaddedToOneColumn) {
  Result<config::ContainerConfig> loaded =
      config::ParseContainerConfigText("lxc.uts.name = a\nlxc.idmap = u 0 100000 65536\n", "/etc/c.conf");
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  std::string text = FormatEffectiveConfigTable(*loaded, "");
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

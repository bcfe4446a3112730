#include "config/tool_settings.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace uxc::config {
namespace {

class ToolSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/uxc-tool-settings-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    env_.home = root_ + "/home";
    env_.system_dir = root_ + "/etc";
    env_.uid = 1000;
    std::filesystem::create_directories(env_.home + "/.config/uxc");
    std::filesystem::create_directories(env_.system_dir);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  void Write(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path) << text;
  }

  ToolSettings MustLoad() {
    Result<ToolSettings> settings = LoadToolSettings(env_);
    EXPECT_TRUE(settings.ok()) << settings.error().ToString();
    return settings.ok() ? *settings : ToolSettings{};
  }

  std::string LoadError() {
    Result<ToolSettings> settings = LoadToolSettings(env_);
    EXPECT_FALSE(settings.ok());
    return settings.ok() ? "" : settings.error().ToString();
  }

  std::string root_;
  ToolEnvironment env_;
};

TEST_F(ToolSettingsTest, DefaultsWithoutFilesOrXdgVariables) {
  ToolSettings settings = MustLoad();
  EXPECT_EQ(settings.container_path, env_.home + "/.local/share/uxc");
  EXPECT_EQ(settings.newuidmap, "");
  EXPECT_EQ(settings.newgidmap, "");
  EXPECT_EQ(settings.user_nic, "");
}

TEST_F(ToolSettingsTest, DefaultsFollowXdgVariables) {
  env_.xdg_data_home = "/data";
  ToolSettings settings = MustLoad();
  EXPECT_EQ(settings.container_path, "/data/uxc");
}

TEST_F(ToolSettingsTest, UserFileOverridesSystemFile) {
  Write(env_.system_dir + "/uxc.conf",
        "# site settings\n"
        "uxc.newuidmap = /opt/uxc/bin/uxc-newuidmap\n"
        "  uxc.container_path=/srv/containers  \n"
        "\n");
  Write(env_.home + "/.config/uxc/uxc.conf", "uxc.container_path = ~/ct\r\n");
  ToolSettings settings = MustLoad();
  EXPECT_EQ(settings.newuidmap, "/opt/uxc/bin/uxc-newuidmap");
  EXPECT_EQ(settings.container_path, env_.home + "/ct");
}

TEST_F(ToolSettingsTest, XdgConfigHomeLocatesTheUserFile) {
  env_.xdg_config_home = root_ + "/xdg";
  Write(root_ + "/xdg/uxc/uxc.conf", "uxc.user_nic = /usr/lib/uxc/uxc-user-nic\n");
  Write(env_.home + "/.config/uxc/uxc.conf", "uxc.user_nic = /ignored\n");
  EXPECT_EQ(MustLoad().user_nic, "/usr/lib/uxc/uxc-user-nic");
  EXPECT_EQ(UserToolSettingsPath(env_), root_ + "/xdg/uxc/uxc.conf");
}

TEST_F(ToolSettingsTest, EmptyValueRestoresTheDefault) {
  Write(env_.system_dir + "/uxc.conf", "uxc.container_path = /srv/c\nuxc.newgidmap = /x/newgidmap\n");
  Write(env_.home + "/.config/uxc/uxc.conf", "uxc.container_path =\nuxc.newgidmap=\n");
  ToolSettings settings = MustLoad();
  EXPECT_EQ(settings.container_path, env_.home + "/.local/share/uxc");
  EXPECT_EQ(settings.newgidmap, "");
}

TEST_F(ToolSettingsTest, UnknownKeyNamesFileLineAndSuggests) {
  Write(env_.system_dir + "/uxc.conf", "\n# x\nuxc.contianer_path = /srv\n");
  EXPECT_EQ(LoadError(), env_.system_dir +
                             "/uxc.conf:3: unknown key \"uxc.contianer_path\": did you mean uxc.container_path? "
                             "uxc.conf knows uxc.container_path, uxc.newuidmap, uxc.newgidmap, uxc.user_nic");
}

TEST_F(ToolSettingsTest, KeyWithoutPrefixSuggestsThePrefixedKey) {
  Write(env_.system_dir + "/uxc.conf", "user_nic = /usr/lib/uxc/uxc-user-nic\n");
  EXPECT_NE(LoadError().find("did you mean uxc.user_nic?"), std::string::npos);
}

// uxc.runtime_dir was parsed but never used; like LXC's lxc.conf, uxc.conf
// names no runtime directory (docs/lifecycle.md says where it is).
TEST_F(ToolSettingsTest, RuntimeDirIsNotASetting) {
  Write(env_.system_dir + "/uxc.conf", "uxc.runtime_dir = /run/x\n");
  EXPECT_NE(LoadError().find("unknown key \"uxc.runtime_dir\""), std::string::npos);
}

TEST_F(ToolSettingsTest, LineWithoutEqualsIsAnError) {
  Write(env_.home + "/.config/uxc/uxc.conf", "uxc.newuidmap /usr/bin/newuidmap\n");
  EXPECT_EQ(LoadError(), env_.home +
                             "/.config/uxc/uxc.conf:1: \"uxc.newuidmap /usr/bin/newuidmap\" is not a setting: "
                             "write `key = value`, e.g. `uxc.container_path = ~/containers`");
}

TEST_F(ToolSettingsTest, RelativePathIsAnError) {
  Write(env_.system_dir + "/uxc.conf", "uxc.container_path = run/uxc\n");
  EXPECT_EQ(LoadError(), env_.system_dir +
                             "/uxc.conf:1: uxc.container_path = \"run/uxc\" is not an absolute path: write it "
                             "starting with / or ~/");
}

TEST_F(ToolSettingsTest, UnreadableSettingsPathIsAnErrorNotIgnored) {
  std::filesystem::create_directories(env_.system_dir + "/uxc.conf");  // a directory, not a file
  EXPECT_EQ(LoadError(), env_.system_dir + "/uxc.conf is not a regular file; replace it with one");
}

TEST_F(ToolSettingsTest, NoHomeAndNoXdgIsAnErrorSayingWhatToSet) {
  env_.home.clear();
  std::string error = LoadError();
  EXPECT_NE(error.find("cannot find your home directory"), std::string::npos) << error;
  EXPECT_NE(error.find("set HOME"), std::string::npos) << error;
}

TEST_F(ToolSettingsTest, NoHomeIsFineWhenEverythingIsSet) {
  env_.home.clear();
  env_.xdg_data_home = "/d";
  EXPECT_EQ(MustLoad().container_path, "/d/uxc");
}

TEST(CurrentToolEnvironmentTest, ReadsTheProcessEnvironment) {
  setenv("HOME", "/home/someone", 1);
  unsetenv("XDG_DATA_HOME");
  ToolEnvironment env = CurrentToolEnvironment();
  EXPECT_EQ(env.home, "/home/someone");
  EXPECT_EQ(env.xdg_data_home, "");
  EXPECT_EQ(env.uid, getuid());
  EXPECT_EQ(env.system_dir, "/etc/uxc");
}

TEST(CurrentToolEnvironmentTest, FallsBackToThePasswdHome) {
  unsetenv("HOME");
  ToolEnvironment env = CurrentToolEnvironment();
  EXPECT_FALSE(env.home.empty());  // the test's uid has a passwd entry (root's is /root)
}

}  // namespace
}  // namespace uxc::config

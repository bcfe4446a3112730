#include "launcher/engine/console_log_config.h"

#include <unistd.h>

#include <string>

#include "gtest/gtest.h"

namespace uxc::launcher {
namespace {

std::optional<ConsoleLogSettings> SettingsOf(const std::string& text) {
  auto config = config::ParseContainerConfigText(text, "c.conf");
  EXPECT_TRUE(config.ok()) << config.error().ToString();
  return config.ok() ? ConsoleLogSettingsFrom(*config) : std::nullopt;
}

TEST(ConsoleLogSettingsTest, NoLogfileNoSettings) {
  EXPECT_FALSE(SettingsOf("lxc.console.size = 4096\n").has_value());
  EXPECT_FALSE(SettingsOf("lxc.console.logfile =\n").has_value());
}

TEST(ConsoleLogSettingsTest, SizeAndRotate) {
  auto settings = SettingsOf("lxc.console.logfile = /tmp/c.log\nlxc.console.size = 64k\nlxc.console.rotate = 1\n");
  ASSERT_TRUE(settings.has_value());
  EXPECT_EQ(settings->path, "/tmp/c.log");
  EXPECT_EQ(settings->limit, 64u * 1024);
  EXPECT_TRUE(settings->rotate);
  auto unlimited = SettingsOf("lxc.console.logfile = /tmp/c.log\n");
  ASSERT_TRUE(unlimited.has_value());
  EXPECT_EQ(unlimited->limit, 0u);
  EXPECT_FALSE(unlimited->rotate);
}

TEST(ConsoleLogSettingsTest, AutoIsTheBufferSize) {
  auto settings = SettingsOf("lxc.console.logfile = /tmp/c.log\nlxc.console.size = auto\n");
  ASSERT_TRUE(settings.has_value());
  EXPECT_EQ(settings->limit, kDefaultConsoleBufferSize);
  auto sized = SettingsOf(
      "lxc.console.logfile = /tmp/c.log\nlxc.console.size = auto\nlxc.console.buffer.size = 8k\n");
  ASSERT_TRUE(sized.has_value());
  EXPECT_EQ(sized->limit, 8u * 1024);
}

TEST(ConsoleLogSettingsTest, ARelativePathIsMadeAbsolute) {
  auto settings = SettingsOf("lxc.console.logfile = logs/c.log\n");
  ASSERT_TRUE(settings.has_value());
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof cwd), nullptr);
  EXPECT_EQ(settings->path, std::string(cwd) + "/logs/c.log");
}

}  // namespace
}  // namespace uxc::launcher

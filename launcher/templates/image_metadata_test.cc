#include "launcher/templates/image_metadata.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

std::string MakeDir() {
  std::string pattern = std::string(getenv("TEST_TMPDIR")) + "/metaXXXXXX";
  EXPECT_NE(mkdtemp(pattern.data()), nullptr);
  return pattern;
}

void Write(const std::string& path, const std::string& content) { std::ofstream(path) << content; }

TEST(ImageMetadataTest, RelevantFilePrefersUserThenCompat) {
  std::vector<std::string> present = {"config", "config-user", "config-user.7", "excludes", "excludes.5"};
  EXPECT_EQ(RelevantFileName(present, "config", 7), "config-user.7");
  EXPECT_EQ(RelevantFileName(present, "config", 5), "config-user");
  EXPECT_EQ(RelevantFileName(present, "excludes", 5), "excludes.5");
  EXPECT_EQ(RelevantFileName(present, "excludes", 7), "excludes");
  EXPECT_EQ(RelevantFileName(present, "fstab", 7), "");
  EXPECT_EQ(RelevantFileName({"templates.7"}, "templates", 7), "templates.7");
}

TEST(ImageMetadataTest, ReadsTheUserVariants) {
  std::string dir = MakeDir();
  Write(dir + "/config", "lxc.arch = amd64\n");
  Write(dir + "/config-user", "lxc.include = LXC_TEMPLATE_CONFIG/userns.conf\n");
  Write(dir + "/templates", "/etc/hostname\n\n/etc/hosts\n");
  Write(dir + "/excludes-user", "dev/*\r\n");
  Write(dir + "/create-message", "hello\n");
  auto metadata = ReadImageMetadata(dir, 7);
  ASSERT_TRUE(metadata.ok()) << metadata.error().ToString();
  EXPECT_EQ(metadata->config, "lxc.include = LXC_TEMPLATE_CONFIG/userns.conf\n");
  EXPECT_EQ(metadata->templates, (std::vector<std::string>{"/etc/hostname", "/etc/hosts"}));
  EXPECT_EQ(metadata->excludes, std::vector<std::string>{"dev/*"});
  EXPECT_EQ(metadata->create_message, "hello\n");
  EXPECT_FALSE(metadata->fstab.has_value());
}

TEST(ImageMetadataTest, MissingConfigIsAnError) {
  std::string dir = MakeDir();
  Write(dir + "/templates", "/etc/hostname\n");
  auto metadata = ReadImageMetadata(dir, 7);
  ASSERT_FALSE(metadata.ok());
  EXPECT_NE(metadata.error().message.find("no config file"), std::string::npos);
}

TEST(ImageMetadataTest, SymlinkedMetadataFileIsRefused) {
  std::string dir = MakeDir();
  ASSERT_EQ(symlink("/etc/passwd", (dir + "/config").c_str()), 0);
  auto metadata = ReadImageMetadata(dir, 7);
  ASSERT_FALSE(metadata.ok());
  EXPECT_EQ(metadata.error().errno_value, ELOOP);
}

TEST(ImageMetadataTest, SubstitutesEveryVariable) {
  TemplateVariables vars{"c1", "/p/c1", "/p/c1/rootfs", "/usr/share/lxc/config", "/usr/share/lxc/hooks"};
  EXPECT_EQ(SubstituteVariables("LXC_NAME LXC_PATH LXC_ROOTFS LXC_TEMPLATE_CONFIG/x LXC_HOOK_DIR LXC_NAME", vars),
            "c1 /p/c1 /p/c1/rootfs /usr/share/lxc/config/x /usr/share/lxc/hooks c1");
}

TEST(ImageMetadataTest, SedProgramEscapesReplacementText) {
  TemplateVariables vars{"c1", "/p/a&b#c\\d", "/r", "/t", "/h"};
  std::string program = SedProgram(vars);
  EXPECT_NE(program.find("s#LXC_PATH#/p/a\\&b\\#c\\\\d#g\n"), std::string::npos) << program;
  EXPECT_NE(program.find("s#LXC_NAME#c1#g\n"), std::string::npos);
}

TEST(ImageMetadataTest, SedProgramGivesTheSameTextAsSubstituteVariables) {
  TemplateVariables vars{"web-1", "/home/a b/&x#", "/home/a b/&x#/rootfs", "/t", "/h"};
  std::string input = "name=LXC_NAME path=LXC_PATH root=LXC_ROOTFS\n";
  std::string dir = MakeDir();
  Write(dir + "/file", input);
  Write(dir + "/program", SedProgram(vars));
  ASSERT_EQ(system(("sed -i -f " + dir + "/program " + dir + "/file").c_str()), 0);
  std::ifstream in(dir + "/file");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line + "\n", SubstituteVariables(input, vars));
}

}  // namespace
}  // namespace uxc::templates

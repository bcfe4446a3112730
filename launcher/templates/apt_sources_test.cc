#include "launcher/templates/apt_sources.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

TEST(AptSourcesTest, OneLineFormatWithOptionsAndComments) {
  AptSourceFile file{"/etc/apt/sources.list",
                     "# comment\n"
                     "deb-src http://deb.debian.org/debian bookworm main\n"
                     "deb [arch=amd64 signed-by=/k.gpg] http://ftp.de.debian.org/debian/ bookworm main contrib # x\n"
                     "deb cdrom:[Debian]/ bookworm main\n"
                     "deb http://broken\n"};
  auto sources = ParseOneLineSources(file);
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].uri, "http://ftp.de.debian.org/debian");
  EXPECT_EQ(sources[0].suites, std::vector<std::string>{"bookworm"});
  EXPECT_EQ(sources[0].components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_EQ(sources[0].line, 3);
}

TEST(AptSourcesTest, Deb822FormatSkipsDisabledAndSourceEntries) {
  AptSourceFile file{"/etc/apt/sources.list.d/debian.sources",
                     "Types: deb deb-src\n"
                     "# a comment\n"
                     "URIs: http://deb.debian.org/debian/ http://mirror.example/debian\n"
                     "Suites: bookworm bookworm-updates\n"
                     "Components: main\n"
                     "\n"
                     "Types: deb\n"
                     "URIs: http://other.example/debian\n"
                     "Suites: bookworm\n"
                     "Components: main\n"
                     "Enabled: no\n"
                     "\n"
                     "Types: deb-src\n"
                     "URIs: http://src.example/debian\n"
                     "Suites: bookworm\n"
                     "Components: main\n"};
  auto sources = ParseDeb822Sources(file);
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].uri, "http://deb.debian.org/debian");
  EXPECT_EQ(sources[1].uri, "http://mirror.example/debian");
  EXPECT_EQ(sources[0].suites, (std::vector<std::string>{"bookworm", "bookworm-updates"}));
  EXPECT_EQ(sources[0].line, 1);
}

TEST(AptSourcesTest, PrefersTheDebianArchiveOverOtherRepositories) {
  std::vector<AptSourceFile> files = {
      {"/etc/apt/sources.list", "deb https://packages.example.com/apt stable main\n"},
      {"/etc/apt/sources.list.d/debian.sources",
       "Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\n\n"
       "Types: deb\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\n"},
  };
  auto mirror = ChooseDebianMirror(files);
  ASSERT_TRUE(mirror.ok());
  EXPECT_EQ(mirror->uri, "http://deb.debian.org/debian");
  EXPECT_EQ(mirror->file, "/etc/apt/sources.list.d/debian.sources");
}

TEST(AptSourcesTest, FallsBackToTheFirstUsableEntry) {
  std::vector<AptSourceFile> files = {
      {"/etc/apt/sources.list", "deb http://mirror.example/pub/deb bookworm main\n"}};
  auto mirror = ChooseDebianMirror(files);
  ASSERT_TRUE(mirror.ok());
  EXPECT_EQ(mirror->uri, "http://mirror.example/pub/deb");
}

TEST(AptSourcesTest, NoUsableEntryIsAnErrorThatSaysWhatToDo) {
  std::vector<AptSourceFile> files = {
      {"/etc/apt/sources.list", "deb http://deb.debian.org/debian bookworm contrib\n"
                                "deb file:/srv/debian bookworm main\n"}};
  auto mirror = ChooseDebianMirror(files);
  ASSERT_FALSE(mirror.ok());
  EXPECT_NE(mirror.error().message.find("--mirror URL"), std::string::npos);
}

TEST(AptSourcesTest, ReadsFilesInAptOrder) {
  std::string root = std::string(getenv("TEST_TMPDIR")) + "/aptroot";
  ASSERT_EQ(system(("mkdir -p " + root + "/etc/apt/sources.list.d").c_str()), 0);
  std::ofstream(root + "/etc/apt/sources.list") << "deb http://a.example/debian bookworm main\n";
  std::ofstream(root + "/etc/apt/sources.list.d/b.sources") << "Types: deb\n";
  std::ofstream(root + "/etc/apt/sources.list.d/a.list") << "\n";
  std::ofstream(root + "/etc/apt/sources.list.d/c.list.disabled") << "\n";
  auto files = ReadAptSources(root);
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[0].path, root + "/etc/apt/sources.list");
  EXPECT_EQ((*files)[1].path, root + "/etc/apt/sources.list.d/a.list");
  EXPECT_EQ((*files)[2].path, root + "/etc/apt/sources.list.d/b.sources");
}

}  // namespace
}  // namespace uxc::templates

#include "launcher/templates/tar_writer.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

std::string TempDir() {
  const char* base = getenv("TEST_TMPDIR");
  std::string pattern = std::string(base ? base : "/tmp") + "/tarXXXXXX";
  EXPECT_NE(mkdtemp(pattern.data()), nullptr);
  return pattern;
}

std::string WriteArchive(const std::string& dir, const std::string& archive) {
  std::string path = dir + "/archive.tar";
  std::ofstream(path, std::ios::binary) << archive;
  return path;
}

std::string Shell(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return output;
}

TEST(TarWriterTest, GnuTarListsEveryKindOfMember) {
  TarWriter tar;
  ASSERT_TRUE(tar.AddDirectory(".", 0755).ok());
  ASSERT_TRUE(tar.AddDirectory("bin", 0755).ok());
  ASSERT_TRUE(tar.AddDirectory("tmp", 01777).ok());
  ASSERT_TRUE(tar.AddFile("bin/tool", "#!/bin/sh\necho hi\n", 0755, {0, 0}).ok());
  ASSERT_TRUE(tar.AddSymlink("bin/sh", "tool").ok());
  ASSERT_TRUE(tar.AddHardLink("bin/init", "bin/tool").ok());
  ASSERT_TRUE(tar.AddFile("etc-shadow", "secret", 0600, {7, 9}).ok());
  std::string dir = TempDir();
  std::string listing = Shell("tar --numeric-owner -tvf " + WriteArchive(dir, tar.Finish()));
  EXPECT_NE(listing.find("drwxrwxrwt 0/0"), std::string::npos) << listing;
  EXPECT_NE(listing.find("-rwxr-xr-x 0/0              18"), std::string::npos) << listing;
  EXPECT_NE(listing.find("./bin/sh -> tool"), std::string::npos) << listing;
  EXPECT_NE(listing.find("./bin/init link to ./bin/tool"), std::string::npos) << listing;
  EXPECT_NE(listing.find("-rw------- 7/9"), std::string::npos) << listing;
}

TEST(TarWriterTest, ExtractedFilesHaveContentAndModes) {
  TarWriter tar;
  ASSERT_TRUE(tar.AddDirectory("etc", 0750).ok());
  std::string big(70000, 'x');
  ASSERT_TRUE(tar.AddFile("etc/big", big, 0640).ok());
  std::string dir = TempDir();
  std::string archive = WriteArchive(dir, tar.Finish());
  mkdir((dir + "/out").c_str(), 0755);
  Shell("tar -xf " + archive + " -C " + dir + "/out");
  std::ifstream in(dir + "/out/etc/big", std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), big);
  struct stat st;
  ASSERT_EQ(stat((dir + "/out/etc").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
}

TEST(TarWriterTest, LongPathsUseThePrefixField) {
  TarWriter tar;
  std::string deep = std::string(120, 'a') + "/" + std::string(90, 'b');
  ASSERT_TRUE(tar.AddFile(deep, "x", 0644).ok());
  std::string dir = TempDir();
  std::string listing = Shell("tar -tf " + WriteArchive(dir, tar.Finish()));
  EXPECT_EQ(listing, "./" + deep + "\n");
}

TEST(TarWriterTest, RefusesPathsUstarCannotHoldOrThatEscape) {
  TarWriter tar;
  EXPECT_FALSE(tar.AddFile(std::string(101, 'n'), "", 0644).ok());
  EXPECT_FALSE(tar.AddFile(std::string(300, 'a'), "", 0644).ok());
  EXPECT_FALSE(tar.AddFile("/etc/passwd", "", 0644).ok());
  EXPECT_FALSE(tar.AddFile("a/../../etc", "", 0644).ok());
  EXPECT_FALSE(tar.AddFile("", "", 0644).ok());
  EXPECT_FALSE(tar.AddSymlink("l", std::string(101, 't')).ok());
  EXPECT_FALSE(tar.AddFile("f", "", 0644, {1u << 21, 0}).ok());
}

TEST(TarWriterTest, EmptyArchiveIsTwoZeroBlocks) {
  TarWriter tar;
  EXPECT_EQ(tar.Finish(), std::string(1024, '\0'));
}

}  // namespace
}  // namespace uxc::templates

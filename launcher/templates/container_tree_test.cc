#include "launcher/templates/container_tree.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

TEST(ContainerTreeTest, ABadNameIsRefusedBeforeAnythingIsMade) {
  std::string path = std::string(getenv("TEST_TMPDIR")) + "/bad-name";
  CreateRequest request;
  request.name = "../escape";
  request.container_path = path;
  request.spec = FindTemplate("busybox");
  request.uxc_binary = "/nonexistent/uxc";
  auto made = CreateContainer(request);
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.error().message.find("is not a container name"), std::string::npos) << made.error().message;
  struct stat st;
  EXPECT_NE(lstat(path.c_str(), &st), 0);
}

TEST(ContainerTreeTest, ExistingContainerIsRefusedAndLeftAlone) {
  std::string path = std::string(getenv("TEST_TMPDIR")) + "/containers";
  ASSERT_EQ(system(("rm -rf " + path + " && mkdir -p " + path + "/c1").c_str()), 0);
  std::ofstream(path + "/c1/config") << "lxc.uts.name = c1\n";
  CreateRequest request;
  request.name = "c1";
  request.container_path = path;
  request.spec = FindTemplate("busybox");
  request.uxc_binary = "/nonexistent/uxc";
  auto made = CreateContainer(request);
  ASSERT_FALSE(made.ok());
  EXPECT_NE(made.error().message.find("already exists"), std::string::npos);
  EXPECT_NE(made.error().message.find("uxc destroy c1"), std::string::npos);
  std::ifstream in(path + "/c1/config");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "lxc.uts.name = c1");
}

TEST(ContainerTreeTest, RemovalAsTheCallerRemovesTheWholeTree) {
  // Without ids (no subordinate range) removal runs as the caller, not
  // through usernsexec: the bogus uxc binary must not be needed.
  std::string path = std::string(getenv("TEST_TMPDIR")) + "/containers-fail";
  ASSERT_EQ(system(("rm -rf " + path).c_str()), 0);
  Status removed = RemoveContainerTree("/nonexistent/uxc", std::nullopt, path + "/absent");
  EXPECT_TRUE(removed.ok());
  ASSERT_EQ(system(("mkdir -p " + path + "/c2/rootfs/etc && touch " + path + "/c2/rootfs/etc/x").c_str()), 0);
  ASSERT_TRUE(RemoveContainerTree("/nonexistent/uxc", std::nullopt, path + "/c2").ok());
  struct stat st;
  EXPECT_NE(lstat((path + "/c2").c_str(), &st), 0);
}

TEST(ContainerTreeTest, TemplatesAreRegistered) {
  for (const char* name : {"busybox", "local", "debian", "download"}) {
    const TemplateSpec* spec = FindTemplate(name);
    ASSERT_NE(spec, nullptr) << name;
    EXPECT_STREQ(spec->name, name);
  }
  EXPECT_EQ(FindTemplate("ubuntu"), nullptr);
}

}  // namespace
}  // namespace uxc::templates

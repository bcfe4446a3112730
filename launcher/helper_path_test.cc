#include "launcher/helper_path.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace uxc::launcher {
namespace {

// A directory on PATH (alone) holding the helpers a test puts there.
class HelperDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = getenv("TEST_TMPDIR");
    dir_ = std::string(tmp != nullptr ? tmp : "/tmp") + "/helpers.XXXXXX";
    ASSERT_NE(mkdtemp(dir_.data()), nullptr);
    const char* path = getenv("PATH");
    saved_path_ = path != nullptr ? path : "";
    setenv("PATH", dir_.c_str(), 1);
  }
  void TearDown() override { setenv("PATH", saved_path_.c_str(), 1); }

  std::string Put(const std::string& name, mode_t mode) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n";
    EXPECT_EQ(chmod(path.c_str(), mode), 0);
    return path;
  }

  std::string dir_;
  std::string saved_path_;
};

TEST_F(HelperDirTest, OptionalHelperMissingIsNothing) {
  EXPECT_EQ(FindOptionalHelper("uxc-test-helper"), std::nullopt);
}

TEST_F(HelperDirTest, OptionalHelperWithoutPrivilegeIsNothing) {
  Put("uxc-test-helper", 0755);
  EXPECT_EQ(FindOptionalHelper("uxc-test-helper"), std::nullopt);
  auto required = FindHelper("uxc-test-helper", "", "uxc.test");
  ASSERT_FALSE(required.ok());
  EXPECT_NE(required.error().message.find("is not setuid root"), std::string::npos);
}

// The setuid bit counts only on a file root owns: as root the helper is
// found, as anyone else the file the test made is theirs and is not.
TEST_F(HelperDirTest, OptionalHelperSetuidRootIsFound) {
  std::string path = Put("uxc-test-helper", 04755);
  if (geteuid() == 0) {
    EXPECT_EQ(FindOptionalHelper("uxc-test-helper"), path);
  } else {
    EXPECT_EQ(FindOptionalHelper("uxc-test-helper"), std::nullopt);
  }
}

}  // namespace
}  // namespace uxc::launcher

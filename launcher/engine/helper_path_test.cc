#include "launcher/engine/helper_path.h"

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

TEST(LibexecDirTest, IsThePrefixsLibexecUxc) {
  EXPECT_EQ(LibexecDirFor("/usr/bin/uxc"), "/usr/libexec/uxc");
  EXPECT_EQ(LibexecDirFor("/var/tmp/prefix/bin/uxc"), "/var/tmp/prefix/libexec/uxc");
  EXPECT_EQ(LibexecDirFor("/bin/uxc"), "/libexec/uxc");
}

// A prefix the test makes, with uxc in bin/ (a stand-in: only its path
// counts) and nothing yet in libexec/uxc.
class PrefixTest : public HelperDirTest {
 protected:
  void SetUp() override {
    HelperDirTest::SetUp();
    prefix_ = dir_ + "/prefix";
    ASSERT_EQ(mkdir(prefix_.c_str(), 0755), 0);
    ASSERT_EQ(mkdir((prefix_ + "/bin").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((prefix_ + "/libexec").c_str(), 0755), 0);
    ASSERT_EQ(mkdir((prefix_ + "/libexec/uxc").c_str(), 0755), 0);
    uxc_ = prefix_ + "/bin/uxc";
  }
  std::string PutUnder(const std::string& subdir, const std::string& name) {
    std::string path = prefix_ + "/" + subdir + "/" + name;
    std::ofstream(path) << "#!/bin/sh\n";
    EXPECT_EQ(chmod(path.c_str(), 0755), 0);
    return path;
  }

  std::string prefix_, uxc_;
};

TEST_F(PrefixTest, FoundInTheLibexecDirOfUxcsPrefix) {
  std::string path = PutUnder("libexec/uxc", "uxc-test-program");
  EXPECT_EQ(FindInternalProgram("uxc-test-program", "a test program", uxc_).value(), path);
}

TEST_F(PrefixTest, BesideUxcComesFirst) {
  PutUnder("libexec/uxc", "uxc-test-program");
  std::string beside = PutUnder("bin", "uxc-test-program");
  EXPECT_EQ(FindInternalProgram("uxc-test-program", "a test program", uxc_).value(), beside);
  EXPECT_EQ(FindInUxcPrefix(uxc_, "uxc-test-program"), beside);
}

// PATH is the user's, and an internal program of another installation
// speaks another version of the protocol.
TEST_F(PrefixTest, InternalProgramNeverTakenFromPath) {
  Put("uxc-test-program", 0755);
  auto found = FindInternalProgram("uxc-test-program", "a test program", uxc_);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error().message, prefix_ + "/bin/uxc-test-program (a test program) is missing beside " + uxc_ +
                                       ", and so is " + prefix_ +
                                       "/libexec/uxc/uxc-test-program: install uxc-test-program with uxc "
                                       "(the uxc package and tools/install do)");
}

TEST_F(PrefixTest, ADirectoryIsNoProgram) {
  ASSERT_EQ(mkdir((prefix_ + "/libexec/uxc/uxc-test-program").c_str(), 0755), 0);
  EXPECT_EQ(FindInUxcPrefix(uxc_, "uxc-test-program"), "");
}

}  // namespace
}  // namespace uxc::launcher

#include "launcher/engine/self_binary.h"

#include <sys/stat.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace uxc::launcher {
namespace {

TEST(SelfBinaryTest, OnlyARootOwnedBinaryNoOneElseCanWriteIsSafe) {
  EXPECT_FALSE(BinaryIsExposed(0, 0755));
  EXPECT_FALSE(BinaryIsExposed(0, 0555));
  EXPECT_TRUE(BinaryIsExposed(0, 0775));
  EXPECT_TRUE(BinaryIsExposed(0, 0757));
  // The owner may chmod it back to writable: the mode does not matter.
  EXPECT_TRUE(BinaryIsExposed(1000, 0755));
  EXPECT_TRUE(BinaryIsExposed(1000, 0555));
}

TEST(SelfBinaryTest, OutsideASealedCopyThePathIsProcSelfExes) {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  ASSERT_GT(n, 0);
  auto path = UxcBinaryPath();
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, std::string(self, n));
}

// An origin in the environment is believed only inside a sealed copy.
TEST(SelfBinaryTest, AnOriginVariableOutsideASealedCopyIsIgnored) {
  setenv("UXC_SEALED_COPY_OF", "/tmp/elsewhere/uxc", 1);
  auto path = UxcBinaryPath();
  ASSERT_TRUE(path.ok());
  EXPECT_NE(*path, "/tmp/elsewhere/uxc");
}

}  // namespace
}  // namespace uxc::launcher

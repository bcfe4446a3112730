#include "config/container_name.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace uxc::config {
namespace {

TEST(ContainerNameTest, OrdinaryNamesPass) {
  for (const std::string& name :
       std::vector<std::string>{"c1", "web-01", "a.b_c", "X", "a..b", "a.", "0", std::string(64, 'n')}) {
    EXPECT_TRUE(ValidateContainerName(name).ok()) << name;
  }
}

TEST(ContainerNameTest, PathsOptionsAndOddBytesAreRefused) {
  std::vector<std::string> bad = {"",      ".",     "..",    "../x", "a/b", "/abs", "x/",  "-x",
                                  "--help", ".hidden", "a b", "ä",   "a\nb", "a\tb", "a\x1b[2J",
                                  "a;b",   "a$b",   "a'b",   "a\\b", "a:b", std::string(65, 'n')};
  bad.push_back(std::string("a\0b", 3));
  for (const std::string& name : bad) {
    Status status = ValidateContainerName(name);
    ASSERT_FALSE(status.ok()) << name;
    EXPECT_NE(status.error().message.find("is not a container name: use 1-64 letters, digits"), std::string::npos)
        << status.error().message;
  }
}

TEST(ContainerNameTest, TheMessageShowsControlCharactersEscaped) {
  Status status = ValidateContainerName("a\x1b[2Jb");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message.find('\x1b'), std::string::npos);
  EXPECT_NE(status.error().message.find("\"a\\x1b[2Jb\""), std::string::npos) << status.error().message;
}

TEST(ContainerNameTest, ALongNameIsShownShortened) {
  Status status = ValidateContainerName(std::string(10000, 'n'));
  ASSERT_FALSE(status.ok());
  EXPECT_LT(status.error().message.size(), 300u);
  EXPECT_NE(status.error().message.find("\"... is not a container name"), std::string::npos);
}

}  // namespace
}  // namespace uxc::config
